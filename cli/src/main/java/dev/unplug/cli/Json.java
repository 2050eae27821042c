package dev.unplug.cli;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;

/**
 * The CLI's JSON output through Jakarta JSON Processing (Eclipse Parsson): maps (in their iteration order),
 * collections, strings, numbers, booleans, enums (as their names) and null; a number that is not finite is written
 * as null. Escaping is the library's (RFC 8259). Stateless and thread-safe.
 */
final class Json {

    private static final JsonProvider PROVIDER = JsonProvider.provider();
    private static final Map<String, ?> PRETTY = Map.of(JsonGenerator.PRETTY_PRINTING, true);

    private Json() {
    }

    /** The value as indented JSON text, without a trailing newline. */
    static String write(Object value) {
        StringWriter out = new StringWriter();
        try (var writer = PROVIDER.createWriterFactory(PRETTY).createWriter(out)) {
            writer.write(toJson(value));
        }
        return out.toString().strip();
    }

    private static JsonValue toJson(Object value) {
        if (value == null) {
            return JsonValue.NULL;
        }
        if (value instanceof CharSequence s) {
            return PROVIDER.createValue(s.toString());
        }
        if (value instanceof Boolean b) {
            return b ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())
                || value instanceof Float f && (f.isNaN() || f.isInfinite())) {
            return JsonValue.NULL;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return PROVIDER.createValue(((Number) value).longValue());
        }
        if (value instanceof Number n) {
            return PROVIDER.createValue(new BigDecimal(n.toString()));
        }
        if (value instanceof Enum<?> e) {
            return PROVIDER.createValue(e.name());
        }
        if (value instanceof Map<?, ?> m) {
            JsonObjectBuilder o = PROVIDER.createObjectBuilder();
            m.forEach((k, v) -> o.add(String.valueOf(k), toJson(v)));
            return o.build();
        }
        if (value instanceof Collection<?> c) {
            JsonArrayBuilder a = PROVIDER.createArrayBuilder();
            c.forEach(v -> a.add(toJson(v)));
            return a.build();
        }
        return PROVIDER.createValue(value.toString());
    }
}
