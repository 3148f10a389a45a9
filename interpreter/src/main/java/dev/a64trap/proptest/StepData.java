package dev.a64trap.proptest;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A step's action name and parameters as plain data (maps, lists, strings, numbers, booleans) with
 * structural equality, so a counterexample's JSON carries every parameter as a field and two replays
 * of one seed compare equal. Records become maps of their components, enums their names, arrays lists,
 * and {@code long}s (register values) unsigned hex strings, which JSON readers cannot round.
 *
 * @param action the action's name
 * @param params the parameters as plain data
 */
public record StepData(String action, Object params) {

    static StepData of(Step<?, ?> step) {
        return new StepData(step.action(), plain(step.params()));
    }

    static Object plain(Object v) {
        if (v instanceof Long l) { // register values: 64 bits, unsigned, as the descriptions print them
            return "0x" + Long.toHexString(l);
        }
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        if (v.getClass().isArray()) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) {
                out.add(plain(Array.get(v, i)));
            }
            return out;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(StepData::plain).toList();
        }
        if (v.getClass().isRecord()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (RecordComponent c : v.getClass().getRecordComponents()) {
                try {
                    var accessor = c.getAccessor();
                    accessor.setAccessible(true);
                    m.put(c.getName(), plain(accessor.invoke(v)));
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException("parameter " + c + " unreadable", e);
                }
            }
            return m;
        }
        return v.toString();
    }
}
