package dev.harp.har;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Validation and freezing of the {@code extensions()} maps carried by every HAR record, plus the
 * small argument checks the records share.
 */
final class Extensions {
    /** The shared empty extension map. */
    static final Map<String, JsonNode> NONE = new Frozen(new LinkedHashMap<>());

    private Extensions() {
    }

    /**
     * Returns an unmodifiable, insertion-ordered copy of {@code extensions} with deep-copied
     * values.
     * A map that this class already froze is reused as is (its values are not copied again).
     *
     * @throws IllegalArgumentException when a name is one of the owner's HAR members, which would
     *     make the writer emit a duplicate key
     */
    static Map<String, JsonNode> freeze(Map<String, JsonNode> extensions, Set<String> members,
            String owner) {
        if (extensions == null || extensions.isEmpty()) {
            return NONE;
        }
        boolean alreadyFrozen = extensions instanceof Frozen;
        LinkedHashMap<String, JsonNode> copy = alreadyFrozen ? null
                : new LinkedHashMap<>(extensions.size() * 2);
        for (Map.Entry<String, JsonNode> e : extensions.entrySet()) {
            String name = e.getKey();
            if (name == null) {
                throw new NullPointerException("extension name of " + owner + " is null");
            }
            if (members.contains(name)) {
                throw new IllegalArgumentException("extension \"" + name + "\" of " + owner
                        + " has the name of a HAR member; set the member instead");
            }
            JsonNode value = e.getValue();
            if (value == null) {
                throw new NullPointerException("extension \"" + name + "\" of " + owner
                        + " is null; use NullNode for a JSON null");
            }
            if (copy != null) {
                copy.put(name, value.deepCopy());
            }
        }
        return alreadyFrozen ? extensions : new Frozen(copy);
    }

    /** Wraps a map built by the reader without copying it; the caller must not keep a reference. */
    static Map<String, JsonNode> adopt(LinkedHashMap<String, JsonNode> built) {
        return built == null || built.isEmpty() ? NONE : new Frozen(built);
    }

    static String required(String value, String what) {
        if (value == null) {
            throw new NullPointerException(what + " is required by HAR 1.2 (use \"\" if unknown)");
        }
        return value;
    }

    static double finite(double value, String what) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(what + " must be a finite number, was " + value);
        }
        return value;
    }

    static Double finiteOrNull(Double value, String what) {
        return value == null ? null : finite(value, what);
    }

    /** Read-only view over a map that nobody else references. */
    private static final class Frozen extends AbstractMap<String, JsonNode> {
        private final Map<String, JsonNode> map;

        Frozen(LinkedHashMap<String, JsonNode> map) {
            this.map = Collections.unmodifiableMap(map);
        }

        @Override
        public Set<Entry<String, JsonNode>> entrySet() {
            return map.entrySet();
        }

        @Override
        public JsonNode get(Object key) {
            return map.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return map.containsKey(key);
        }

        @Override
        public int size() {
            return map.size();
        }
    }
}
