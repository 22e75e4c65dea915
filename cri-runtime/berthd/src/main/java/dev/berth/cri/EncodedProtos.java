package dev.berth.cri;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The message of each record as last built, kept while the store holds the same record instance (records are
 * immutable; a change stores a new one). Kept with its string fields (nested ones too, not map entries) set as UTF-8
 * bytes, which serialize by copying, where a built message encodes every string again on every call: that encoding
 * was most of a list call's CPU (kubelet lists every second; per container an ID, a pod ID, image name and refs).
 * A getter of a string field turns it back into a string; the list calls only serialize these messages.
 */
final class EncodedProtos<R, P extends Message> {

    private record Encoded<R, P>(R record, P message) {}

    private final Function<R, P> build;
    private final Map<String, Encoded<R, P>> byId = new ConcurrentHashMap<>();

    EncodedProtos(Function<R, P> build) {
        this.build = build;
    }

    /** The message of {@code record}, built once per record instance. */
    P of(String id, R record) {
        Encoded<R, P> known = byId.get(id);
        if (known != null && known.record() == record) {
            return known.message();
        }
        @SuppressWarnings("unchecked")
        P message = (P) encoded(build.apply(record));
        byId.put(id, new Encoded<>(record, message));
        return message;
    }

    /** Forgets the records not among {@code ids}: called with all the store holds, so removed ones go. */
    void retainOnly(Collection<String> ids) {
        byId.keySet().retainAll(ids);
    }

    private static Message encoded(Message built) {
        Message.Builder encoded = built.toBuilder();
        built.getAllFields().forEach((field, value) -> {
            if (field.isRepeated()) {
                return;
            }
            if (field.getJavaType() == FieldDescriptor.JavaType.STRING) {
                encoded.setField(field, ByteString.copyFromUtf8((String) value));
            } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                encoded.setField(field, encoded((Message) value));
            }
        });
        return encoded.build();
    }
}
