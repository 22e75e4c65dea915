package dev.berth.cri.fuzz;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Mutations of any CRI request, by reflection over its descriptor: a field anywhere in the message (up to five
 * levels down) is set to a hostile value, cleared, emptied, or repeated thousands of times. {@code confine} may
 * rewrite a value before it is set, so that fields that name host paths or host ports never point outside the
 * fuzz's own scratch directory or port range: the fuzz tests berthd, not the node it runs on.
 */
final class Mutations {

    /** Requests stay below gRPC's 16 MiB limit, so berthd is tested and not the transport. */
    static final int MAX_REQUEST_BYTES = 15 * 1024 * 1024;

    private static final int MAX_DEPTH = 5;

    enum Kind {
        SET,
        CLEAR,
        REPEAT,
        PUT,
        /** The string field's bytes on the wire are not UTF-8 (sent as an unknown field of the same number). */
        INVALID_UTF8
    }

    /** One change: the field path from the request's root, what is done, the value and (REPEAT/PUT) how often. */
    record Mutation(List<FieldDescriptor> path, Kind kind, Object value, int times) {

        @Override
        public String toString() {
            String field = path.stream().map(FieldDescriptor::getName).collect(Collectors.joining("."));
            return field + " " + kind + (kind == Kind.CLEAR ? "" : " " + Show.value(value))
                    + (times > 1 ? " ×" + times : "");
        }

        String field() {
            return path.stream().map(FieldDescriptor::getName).collect(Collectors.joining("."));
        }
    }

    private final Hostile hostile;
    private final BiFunction<FieldDescriptor, Object, Object> confine;

    Mutations(Hostile hostile, BiFunction<FieldDescriptor, Object, Object> confine) {
        this.hostile = hostile;
        this.confine = confine;
    }

    /** One to three mutations of {@code base}; {@link #apply} makes the request. */
    Gen<List<Mutation>> of(Descriptor type) {
        List<List<FieldDescriptor>> paths = paths(type, new ArrayList<>(), 0);
        if (paths.isEmpty()) {
            return Gen.just(List.of());
        }
        return Gen.of(paths).flatMap(this::mutation).list(1, 3);
    }

    private static List<List<FieldDescriptor>> paths(Descriptor type, List<FieldDescriptor> prefix, int depth) {
        List<List<FieldDescriptor>> paths = new ArrayList<>();
        for (FieldDescriptor field : type.getFields()) {
            List<FieldDescriptor> path = new ArrayList<>(prefix);
            path.add(field);
            paths.add(List.copyOf(path));
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isMapField() && depth < MAX_DEPTH) {
                paths.addAll(paths(field.getMessageType(), path, depth + 1));
            }
        }
        return paths;
    }

    private Gen<Mutation> mutation(List<FieldDescriptor> path) {
        FieldDescriptor leaf = path.getLast();
        if (leaf.isMapField()) {
            FieldDescriptor valueField = leaf.getMessageType().findFieldByName("value");
            Gen<String> keys = hostile.strings();
            Gen<Object> values = value(valueField);
            Gen<Integer> counts = counts();
            return random -> new Mutation(
                    path, Kind.PUT, new Object[] {keys.next(random), values.next(random)}, counts.next(random));
        }
        if (leaf.isRepeated()) {
            Gen<Object> values = value(leaf);
            Gen<Integer> counts = counts();
            return Gen.oneOf(
                    Gen.just(new Mutation(path, Kind.CLEAR, null, 1)),
                    random -> new Mutation(path, Kind.REPEAT, values.next(random), counts.next(random)));
        }
        if (leaf.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            return Gen.of(
                    new Mutation(path, Kind.CLEAR, null, 1),
                    new Mutation(path, Kind.SET, leaf.getMessageType().toProto().getName(), 1));
        }
        if (leaf.getJavaType() == FieldDescriptor.JavaType.STRING) {
            return Gen.frequency(
                    Gen.weight(2, Gen.just(new Mutation(path, Kind.CLEAR, null, 1))),
                    Gen.weight(1, invalidUtf8().map(bytes -> new Mutation(path, Kind.INVALID_UTF8, bytes, 1))),
                    Gen.weight(2, value(leaf).map(value -> new Mutation(path, Kind.SET, value, 1))));
        }
        return Gen.oneOf(
                Gen.just(new Mutation(path, Kind.CLEAR, null, 1)),
                value(leaf).map(value -> new Mutation(path, Kind.SET, value, 1)));
    }

    /**
     * Bytes that are not UTF-8 (a lone continuation byte, 0xFF, a truncated or overlong sequence, an encoded
     * surrogate), which a raw client can send in a proto3 string field though protobuf-java and Go cannot.
     */
    private static Gen<ByteString> invalidUtf8() {
        Gen<byte[]> bad = Gen.of(
                new byte[] {(byte) 0xFF},
                new byte[] {(byte) 0x80},
                new byte[] {'a', (byte) 0xC3},
                new byte[] {(byte) 0xC0, (byte) 0xAF},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80});
        return random -> {
            byte[] prefix = Gen.strings(0, 16, Gen.asciiChar()).next(random).getBytes(StandardCharsets.UTF_8);
            return ByteString.copyFrom(prefix).concat(ByteString.copyFrom(bad.next(random)));
        };
    }

    /** How often a repeated value is added: mostly a few, sometimes up to 100,000 (the request size permitting). */
    private static Gen<Integer> counts() {
        return Gen.frequency(
                Gen.weight(6, Gen.between(1, 3)),
                Gen.weight(2, Gen.between(100, 5_000)),
                Gen.weight(1, Gen.between(50_000, 100_000)));
    }

    private Gen<Object> value(FieldDescriptor field) {
        return switch (field.getJavaType()) {
            case STRING -> hostile.strings().map(s -> (Object) s);
            case BYTE_STRING -> Gen.bytes(0, 65_536).map(bytes -> (Object) ByteString.copyFrom(bytes));
            case INT, LONG -> Hostile.numbers().map(n -> (Object) n);
            case BOOLEAN -> Gen.of(true, false).map(b -> (Object) b);
            case FLOAT, DOUBLE ->
                Gen.of(Double.NaN, -1.0, Double.MAX_VALUE, Double.NEGATIVE_INFINITY)
                        .map(d -> (Object) d);
            case ENUM ->
                Gen.between(-2, field.getEnumType().getValues().size() + 3).map(n -> (Object) n);
            case MESSAGE -> Gen.just((Object) field.getMessageType().toProto().getName());
        };
    }

    /** {@code base} with {@code mutations} applied, each value first passed through the confinement. */
    Message apply(Message base, List<Mutation> mutations) {
        Message.Builder root = base.toBuilder();
        for (Mutation mutation : mutations) {
            Message.Builder builder = root;
            for (FieldDescriptor step :
                    mutation.path().subList(0, mutation.path().size() - 1)) {
                builder = child(builder, step);
            }
            set(builder, mutation.path().getLast(), mutation, root.build().getSerializedSize());
        }
        return root.build();
    }

    private static Message.Builder child(Message.Builder builder, FieldDescriptor step) {
        if (step.isRepeated()) {
            if (builder.getRepeatedFieldCount(step) == 0) {
                builder.addRepeatedField(step, builder.newBuilderForField(step).build());
            }
            return builder.getRepeatedFieldBuilder(step, 0);
        }
        return builder.getFieldBuilder(step);
    }

    private void set(Message.Builder builder, FieldDescriptor leaf, Mutation mutation, int sizeSoFar) {
        switch (mutation.kind()) {
            case CLEAR -> builder.clearField(leaf);
            case INVALID_UTF8 -> {
                // protobuf-java refuses to set such a string; an unknown field with the string's number is
                // written after the known ones, so the receiver parses it as the field's (last) value
                builder.clearField(leaf);
                builder.mergeUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(
                                leaf.getNumber(),
                                UnknownFieldSet.Field.newBuilder()
                                        .addLengthDelimited((ByteString) mutation.value())
                                        .build())
                        .build());
            }
            case SET -> {
                if (leaf.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                    builder.setField(leaf, builder.newBuilderForField(leaf).build());
                } else {
                    builder.setField(leaf, scalar(leaf, mutation.value()));
                }
            }
            case REPEAT -> {
                Object element = repeatedElement(builder, leaf, mutation.value());
                int size = elementSize(element);
                int times = fit(mutation.times(), size, sizeSoFar);
                for (int i = 0; i < times; i++) {
                    builder.addRepeatedField(leaf, distinct(element, i));
                }
            }
            case PUT -> {
                Object[] entry = (Object[]) mutation.value();
                FieldDescriptor keyField = leaf.getMessageType().findFieldByName("key");
                FieldDescriptor valueField = leaf.getMessageType().findFieldByName("value");
                Object key = confine.apply(keyField, entry[0]);
                Object value = valueField.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                        ? builder.newBuilderForField(leaf)
                                .newBuilderForField(valueField)
                                .build()
                        : scalar(valueField, entry[1]);
                int size = ((String) key).length() * 3 + elementSize(value) + 8;
                int times = fit(mutation.times(), size, sizeSoFar);
                for (int i = 0; i < times; i++) {
                    builder.addRepeatedField(
                            leaf,
                            builder.newBuilderForField(leaf)
                                    .setField(keyField, times == 1 ? key : key + "-" + i)
                                    .setField(valueField, value)
                                    .build());
                }
            }
        }
    }

    private static int fit(int times, int elementSize, int sizeSoFar) {
        long room = Math.max(0, MAX_REQUEST_BYTES - sizeSoFar);
        return (int) Math.min(times, Math.max(1, room / (elementSize + 6L)));
    }

    private Object repeatedElement(Message.Builder builder, FieldDescriptor leaf, Object value) {
        if (leaf.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
            return scalar(leaf, value);
        }
        return builder.getRepeatedFieldCount(leaf) > 0
                ? builder.getRepeatedField(leaf, 0)
                : builder.newBuilderForField(leaf).build();
    }

    /** The i-th copy: strings get a suffix (thousands of env entries with distinct keys), the rest stays. */
    private static Object distinct(Object element, int i) {
        if (i == 0) {
            return element;
        }
        if (element instanceof String s) {
            return s.length() > 64 ? s : s + i;
        }
        if (element instanceof Message m) {
            Message.Builder copy = m.toBuilder();
            for (FieldDescriptor field : m.getDescriptorForType().getFields()) {
                if (field.getJavaType() == FieldDescriptor.JavaType.STRING && !field.isRepeated()) {
                    copy.setField(field, m.getField(field) + "-" + i);
                }
            }
            return copy.build();
        }
        return element;
    }

    private static int elementSize(Object element) {
        return switch (element) {
            case String s -> s.length() * 3;
            case ByteString b -> b.size();
            case Message m -> m.getSerializedSize() + 8;
            default -> 10;
        };
    }

    private Object scalar(FieldDescriptor field, Object value) {
        Object confined = confine.apply(field, value);
        return switch (field.getJavaType()) {
            case INT -> ((Number) confined).intValue();
            case LONG -> ((Number) confined).longValue();
            case FLOAT -> ((Number) confined).floatValue();
            case DOUBLE -> ((Number) confined).doubleValue();
            case ENUM -> field.getEnumType().findValueByNumberCreatingIfUnknown(((Number) confined).intValue());
            default -> confined;
        };
    }
}
