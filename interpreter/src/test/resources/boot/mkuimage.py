# Writes a U-Boot legacy image (what mkimage -A arm64 -T kernel|kernel_noload -C none|gzip makes) for the boot probes.
# usage: mkuimage.py OUT PAYLOAD OS TYPE COMP LOAD EP   (OS 5 = Linux, 17 = U-Boot; TYPE 2 = kernel, 14 = kernel_noload; COMP 0/1)
import struct, zlib, sys, gzip
# mkuimage.py OUT PAYLOAD os type comp load ep
out, payload, os_, typ, comp, load, ep = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6],0), int(sys.argv[7],0)
data = open(payload,'rb').read()
if comp == 1: data = gzip.compress(data, 9, mtime=0)
name = b'a64trap probe'.ljust(32, b'\0')
def hdr(hcrc): return struct.pack('>7I4B32s', 0x27051956, hcrc, 0, len(data), load, ep, zlib.crc32(data), os_, 22, typ, comp, name)
open(out,'wb').write(hdr(zlib.crc32(hdr(0))) + data)
