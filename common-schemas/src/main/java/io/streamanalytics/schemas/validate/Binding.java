package io.streamanalytics.schemas.validate;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns a value that {@link CompiledSchema#read} accepted into the Java value Jackson binds it to with the wire
 * contract's mapper: records by their {@link JsonProperty} names through the canonical constructor, integers to
 * {@code int}/{@code Integer}/{@code long}/{@code Long}, lists element by element, and timestamps as its
 * deserialiser reads them. Derived once per type from the record classes and their schema, so a component that
 * the schema does not describe, or describes with a type Jackson would have to coerce, is refused up front.
 */
@FunctionalInterface
interface Binding {

    /** The bound value, or {@link CompiledSchema#INVALID} if it cannot be bound (an impossible date). */
    Object bind(Object value);

    static Binding of(Type type, CompiledSchema schema, String path) {
        Class<?> raw = type instanceof ParameterizedType parameterized
                ? (Class<?>) parameterized.getRawType()
                : (Class<?>) type;
        if (raw == String.class) {
            require(schema, Set.of("string", "null"), path);
            return value -> value;
        }
        if (raw == Instant.class) {
            require(schema, Set.of("string", "null"), path);
            return value -> {
                if (value == null) {
                    return null;
                }
                Instant instant = Timestamps.parse(((String) value).trim());
                return instant == null ? CompiledSchema.INVALID : instant;
            };
        }
        if (raw == int.class || raw == long.class) {
            require(schema, Set.of("integer"), path);
            return integer(raw == int.class, schema, path);
        }
        if (raw == Integer.class || raw == Long.class) {
            require(schema, Set.of("integer", "null"), path);
            return integer(raw == Integer.class, schema, path);
        }
        if (raw == List.class && type instanceof ParameterizedType parameterized) {
            require(schema, Set.of("array", "null"), path);
            return list(of(parameterized.getActualTypeArguments()[0], schema.items(), path + "[]"));
        }
        if (raw.isRecord()) {
            require(schema, Set.of("object", "null"), path);
            return record(raw, schema, path);
        }
        throw new IllegalArgumentException("cannot bind " + path + " to " + type);
    }

    private static Binding integer(boolean toInt, CompiledSchema schema, String path) {
        if (toInt && !schema.boundedWithin(Integer.MIN_VALUE, Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("the schema of " + path + " allows integers beyond an int");
        }
        return toInt ? value -> value == null ? null : ((Long) value).intValue() : value -> value;
    }

    private static Binding list(Binding element) {
        return value -> {
            if (value == null) {
                return null;
            }
            List<?> items = (List<?>) value;
            List<Object> bound = new ArrayList<>(items.size());
            for (Object item : items) {
                Object one = element.bind(item);
                if (one == CompiledSchema.INVALID) {
                    return CompiledSchema.INVALID;
                }
                bound.add(one);
            }
            return bound;
        };
    }

    private static Binding record(Class<?> type, CompiledSchema schema, String path) {
        RecordComponent[] components = type.getRecordComponents();
        int[] slots = new int[components.length];
        Binding[] bindings = new Binding[components.length];
        Class<?>[] parameterTypes = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            JsonProperty property = components[i].getAccessor().getAnnotation(JsonProperty.class);
            String name = property != null ? property.value() : components[i].getName();
            slots[i] = schema.propertyIndex(name);
            if (slots[i] < 0) {
                throw new IllegalArgumentException("the schema at " + path + " has no property " + name);
            }
            bindings[i] = of(components[i].getGenericType(), schema.property(name), path + "." + name);
            parameterTypes[i] = components[i].getType();
        }
        Constructor<?> constructor;
        try {
            constructor = type.getDeclaredConstructor(parameterTypes);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("a record without its canonical constructor: " + type, e);
        }
        return value -> {
            if (value == null) {
                return null;
            }
            Object[] properties = (Object[]) value;
            Object[] arguments = new Object[components.length];
            for (int i = 0; i < arguments.length; i++) {
                Object bound = bindings[i].bind(properties[slots[i]]);
                // Jackson refuses null for a primitive (FAIL_ON_NULL_FOR_PRIMITIVES).
                if (bound == CompiledSchema.INVALID || bound == null && parameterTypes[i].isPrimitive()) {
                    return CompiledSchema.INVALID;
                }
                arguments[i] = bound;
            }
            try {
                return constructor.newInstance(arguments);
            } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot construct " + type.getSimpleName(), e);
            }
        };
    }

    private static void require(CompiledSchema schema, Set<String> types, String path) {
        if (!schema.acceptsOnly(types)) {
            throw new IllegalArgumentException(
                    "the schema of " + path + " allows types that Jackson would have" + " to coerce, beyond " + types);
        }
    }
}
