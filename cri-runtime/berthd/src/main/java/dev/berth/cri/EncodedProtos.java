package dev.berth.cri;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The wire bytes of each record's message as last built, kept while the store holds the same record instance
 * (records are immutable; a change stores a new one), and list answers assembled from them. kubelet lists every
 * second, and encoding the items again was most of a list call's CPU: protobuf-java encodes every string anew
 * and builds a message per map entry (the labels and annotations) each time it serializes an item.
 */
final class EncodedProtos<R> {

    private record Encoded<R>(R record, ByteString bytes) {}

    private final Function<R, ? extends Message> build;
    private final Map<String, Encoded<R>> byId = new ConcurrentHashMap<>();

    EncodedProtos(Function<R, ? extends Message> build) {
        this.build = build;
    }

    /** The encoded message of {@code record}, built once per record instance. */
    ByteString of(String id, R record) {
        Encoded<R> known = byId.get(id);
        if (known != null && known.record() == record) {
            return known.bytes();
        }
        ByteString bytes = build.apply(record).toByteString();
        byId.put(id, new Encoded<>(record, bytes));
        return bytes;
    }

    /** Forgets the records not among {@code ids}: called with all the store holds, so removed ones go. */
    void retainOnly(Collection<String> ids) {
        byId.keySet().retainAll(ids);
    }

    /**
     * {@code empty} (a list answer whose only field is its items) with {@code items} as its repeated message field
     * {@code fieldNumber}, carried as that field's encoded values: on the wire byte for byte what adding the parsed
     * messages gives, copied instead of encoded. In memory the field reads as empty; {@link #decoded} parses it.
     */
    @SuppressWarnings("unchecked")
    static <M extends Message> M listOf(M empty, int fieldNumber, List<ByteString> items) {
        UnknownFieldSet.Field.Builder field = UnknownFieldSet.Field.newBuilder();
        items.forEach(field::addLengthDelimited);
        return (M) empty.toBuilder()
                .setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(fieldNumber, field.build())
                        .build())
                .build();
    }

    /** A {@link #listOf} answer with its items parsed, for the code in berthd that reads them. */
    @SuppressWarnings("unchecked")
    static <M extends Message> M decoded(M listed) {
        try {
            return (M) listed.getParserForType().parseFrom(listed.toByteString());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a list answer berthd encoded does not parse", e);
        }
    }
}
