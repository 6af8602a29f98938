package io.streamanalytics.schemas.validate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One JSON Schema (draft 2020-12) node compiled into the checks it makes, applied to a value while a
 * {@link JsonParser} streams over it: no tree, no keyword lookup and no map per record. It understands only the
 * keywords the published schemas use, with networknt's reading of them (lengths in code points, {@code pattern} as
 * a Java regex found anywhere in the string, {@code 3.0} an integer); a schema with any other keyword is refused
 * when compiled, so a schema change cannot go unchecked here while the reference checks it.
 */
final class CompiledSchema {

    /** Returned instead of a value that breaks the schema. */
    static final Object INVALID = new Object();

    private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "title", "description");
    private static final Set<String> KEYWORDS = Set.of(
            "type",
            "properties",
            "required",
            "additionalProperties",
            "enum",
            "minLength",
            "maxLength",
            "pattern",
            "minimum",
            "maximum",
            "items",
            "minItems",
            "maxItems");

    private final Set<String> types;
    private final int minLength;
    private final int maxLength;
    private final Pattern pattern;
    private final Set<String> allowed;
    private final long minimum;
    private final long maximum;
    private final CompiledSchema items;
    private final int minItems;
    private final int maxItems;
    private final Map<String, Integer> propertyIndex = new HashMap<>();
    private final CompiledSchema[] properties;
    private final long required;

    private CompiledSchema(JsonNode schema, String path) {
        for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
            String keyword = names.next();
            if (!KEYWORDS.contains(keyword) && !ANNOTATIONS.contains(keyword)) {
                throw unsupported(path, "keyword " + keyword);
            }
        }
        types = types(schema, path);
        minLength = schema.path("minLength").asInt(0);
        maxLength = schema.path("maxLength").asInt(Integer.MAX_VALUE);
        pattern = schema.has("pattern") ? Pattern.compile(schema.get("pattern").textValue()) : null;
        allowed = schema.has("enum") ? strings(schema.get("enum"), path) : null;
        if (types.contains("integer")
                && !(schema.path("minimum").canConvertToLong()
                        && schema.path("maximum").canConvertToLong())) {
            // Then every value within the bounds fits the Java type, and a BigInteger never does.
            throw unsupported(path, "an integer without a minimum and a maximum within 64 bits");
        }
        minimum = schema.path("minimum").asLong();
        maximum = schema.path("maximum").asLong();
        if (types.contains("array") && !schema.has("items")) {
            throw unsupported(path, "an array without items");
        }
        items = schema.has("items") ? new CompiledSchema(schema.get("items"), path + "[]") : null;
        minItems = schema.path("minItems").asInt(0);
        maxItems = schema.path("maxItems").asInt(Integer.MAX_VALUE);
        if (!schema.path("additionalProperties").asBoolean(true)) {
            throw unsupported(path, "additionalProperties other than true");
        }
        List<CompiledSchema> compiled = new ArrayList<>();
        schema.path("properties").fields().forEachRemaining(property -> {
            propertyIndex.put(property.getKey(), compiled.size());
            compiled.add(new CompiledSchema(property.getValue(), path + "." + property.getKey()));
        });
        if (compiled.size() > Long.SIZE) {
            throw unsupported(path, "more than " + Long.SIZE + " properties");
        }
        properties = compiled.toArray(CompiledSchema[]::new);
        long requiredBits = 0;
        for (JsonNode name : schema.path("required")) {
            Integer index = propertyIndex.get(name.textValue());
            if (index == null) {
                throw unsupported(path, "required " + name + " without a schema of its own");
            }
            requiredBits |= 1L << index;
        }
        required = requiredBits;
    }

    static CompiledSchema compile(JsonNode schema) {
        return new CompiledSchema(schema, "$");
    }

    /**
     * Checks the value that starts at {@code token} (the parser's current token) and reads past it.
     *
     * @return {@link #INVALID}, else the value: a String, a Long, null, a List of item values, or for an object
     *     an array of its property values in {@link #propertyIndex(String)} order (null where absent)
     */
    Object read(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> types.contains("string") ? string(parser.getText()) : INVALID;
            case VALUE_NUMBER_INT ->
                types.contains("integer") && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                        ? integer(parser.getLongValue())
                        : INVALID;
            case VALUE_NUMBER_FLOAT -> types.contains("integer") ? integral(parser.getDoubleValue()) : INVALID;
            case VALUE_NULL -> types.contains("null") && allowed == null ? null : INVALID;
            case START_OBJECT -> types.contains("object") ? object(parser) : INVALID;
            case START_ARRAY -> types.contains("array") ? array(parser) : INVALID;
            default -> INVALID;
        };
    }

    /** Where {@link #read} puts the property's value in an object's array, or -1 if it has no schema. */
    int propertyIndex(String name) {
        return propertyIndex.getOrDefault(name, -1);
    }

    CompiledSchema property(String name) {
        return properties[propertyIndex(name)];
    }

    CompiledSchema items() {
        return items;
    }

    /** Whether every value this schema accepts is one of {@code types} (JSON Schema type names). */
    boolean acceptsOnly(Set<String> types) {
        return types.containsAll(this.types);
    }

    /** Whether every integer this schema accepts lies within {@code [min, max]}. */
    boolean boundedWithin(long min, long max) {
        return !types.contains("integer") || minimum >= min && maximum <= max;
    }

    private Object string(String value) {
        int length = value.codePointCount(0, value.length());
        if (length < minLength
                || length > maxLength
                || pattern != null && !pattern.matcher(value).find()
                || allowed != null && !allowed.contains(value)) {
            return INVALID;
        }
        return value;
    }

    private Object integer(long value) {
        return allowed == null && value >= minimum && value <= maximum ? Long.valueOf(value) : INVALID;
    }

    /**
     * JSON Schema counts 3.0 as the integer 3; networknt compares it as {@code (long) 3.0}, and Jackson binds it so
     * too but refuses one beyond a long's range (as doubles compare).
     */
    private Object integral(double value) {
        if (Double.isInfinite(value) || value != Math.rint(value) || value < Long.MIN_VALUE || value > Long.MAX_VALUE) {
            return INVALID;
        }
        return integer((long) value);
    }

    private Object object(JsonParser parser) throws IOException {
        Object[] values = new Object[properties.length];
        long seen = 0;
        // Inside an object the parser yields only field names until its end.
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            Integer index = propertyIndex.get(parser.currentName());
            JsonToken value = parser.nextToken();
            if (index == null) {
                // additionalProperties: true. Skipping still parses it, duplicate names and all.
                parser.skipChildren();
                continue;
            }
            Object read = properties[index].read(parser, value);
            if (read == INVALID) {
                return INVALID;
            }
            values[index] = read;
            seen |= 1L << index;
        }
        return (seen & required) == required ? values : INVALID;
    }

    private Object array(JsonParser parser) throws IOException {
        List<Object> values = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            Object read = items.read(parser, token);
            if (read == INVALID || values.size() == maxItems) {
                return INVALID;
            }
            values.add(read);
        }
        return values.size() < minItems ? INVALID : values;
    }

    private static Set<String> types(JsonNode schema, String path) {
        JsonNode type = schema.get("type");
        if (type == null) {
            throw unsupported(path, "a schema without a type");
        }
        Set<String> names = type.isArray() ? strings(type, path) : Set.of(type.asText());
        if (!Set.of("string", "integer", "null", "object", "array").containsAll(names)) {
            throw unsupported(path, "type " + type);
        }
        return names;
    }

    private static Set<String> strings(JsonNode array, String path) {
        Set<String> values = new HashSet<>();
        for (JsonNode value : array) {
            if (!value.isTextual()) {
                throw unsupported(path, "a list with " + value + " in it");
            }
            values.add(value.textValue());
        }
        return Set.copyOf(values);
    }

    private static IllegalArgumentException unsupported(String path, String what) {
        return new IllegalArgumentException("cannot compile the schema at " + path + ": " + what);
    }
}
