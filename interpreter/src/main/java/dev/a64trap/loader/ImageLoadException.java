package dev.a64trap.loader;

/**
 * A guest image that cannot be loaded (missing, truncated, wrong architecture, overlapping
 * segments, outside RAM, larger than RAM, ...). The message names the file and the problem and
 * is meant to be printed as is (exit status 2).
 */
public final class ImageLoadException extends Exception {
    private static final long serialVersionUID = 1L;

    public ImageLoadException(String message) {
        super(message);
    }
}
