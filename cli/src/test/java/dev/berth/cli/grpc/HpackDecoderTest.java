package dev.berth.cli.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 7541 Appendix C's examples, decoded block after block through one decoder, as a connection does. */
class HpackDecoderTest {

    private static final List<Header> C5_1 = List.of(
            new Header(":status", "302"),
            new Header("cache-control", "private"),
            new Header("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
            new Header("location", "https://www.example.com"));
    private static final List<Header> C5_2 = List.of(
            new Header(":status", "307"),
            new Header("cache-control", "private"),
            new Header("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
            new Header("location", "https://www.example.com"));
    private static final List<Header> C5_3 = List.of(
            new Header(":status", "200"),
            new Header("cache-control", "private"),
            new Header("date", "Mon, 21 Oct 2013 20:13:22 GMT"),
            new Header("location", "https://www.example.com"),
            new Header("content-encoding", "gzip"),
            new Header("set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"));

    private static final List<Header> REQUEST_1 = List.of(
            new Header(":method", "GET"),
            new Header(":scheme", "http"),
            new Header(":path", "/"),
            new Header(":authority", "www.example.com"));
    private static final List<Header> REQUEST_2 = List.of(
            new Header(":method", "GET"),
            new Header(":scheme", "http"),
            new Header(":path", "/"),
            new Header(":authority", "www.example.com"),
            new Header("cache-control", "no-cache"));
    private static final List<Header> REQUEST_3 = List.of(
            new Header(":method", "GET"),
            new Header(":scheme", "https"),
            new Header(":path", "/index.html"),
            new Header(":authority", "www.example.com"),
            new Header("custom-key", "custom-value"));

    @Test
    void decodesRequestsWithoutHuffmanC3() throws Exception {
        HpackDecoder decoder = new HpackDecoder(4096);
        assertBlock(decoder, "828684410f7777772e6578616d706c652e636f6d", REQUEST_1, 57);
        assertBlock(decoder, "828684be58086e6f2d6361636865", REQUEST_2, 110);
        assertBlock(decoder, "828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565", REQUEST_3, 164);
    }

    @Test
    void decodesRequestsWithHuffmanC4() throws Exception {
        HpackDecoder decoder = new HpackDecoder(4096);
        assertBlock(decoder, "828684418cf1e3c2e5f23a6ba0ab90f4ff", REQUEST_1, 57);
        assertBlock(decoder, "828684be5886a8eb10649cbf", REQUEST_2, 110);
        assertBlock(decoder, "828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf", REQUEST_3, 164);
    }

    @Test
    void evictsFromA256ByteTableWithoutHuffmanC5() throws Exception {
        HpackDecoder decoder = new HpackDecoder(256);
        assertBlock(
                decoder,
                "4803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a31333a323120474d54"
                        + "6e1768747470733a2f2f7777772e6578616d706c652e636f6d",
                C5_1,
                222);
        assertBlock(decoder, "4803333037c1c0bf", C5_2, 222);
        assertBlock(
                decoder,
                "88c1611d4d6f6e2c203231204f637420323031332032303a31333a323220474d54c05a04677a697077386"
                        + "66f6f3d4153444a4b48514b425a584f5157454f50495541585157454f49553b206d61782d6167653d33"
                        + "3630303b2076657273696f6e3d31",
                C5_3,
                215);
    }

    @Test
    void evictsFromA256ByteTableWithHuffmanC6() throws Exception {
        HpackDecoder decoder = new HpackDecoder(256);
        assertBlock(
                decoder,
                "488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff6e919d29ad171863c78f0b"
                        + "97c8e9ae82ae43d3",
                C5_1,
                222);
        assertBlock(decoder, "4883640effc1c0bf", C5_2, 222);
        assertBlock(
                decoder,
                "88c16196d07abe941054d444a8200595040b8166e084a62d1bffc05a839bd9ab77ad94e7821dd7f2e6c7b335dfdfc"
                        + "d5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007",
                C5_3,
                215);
    }

    @Test
    void appliesATableSizeUpdateAndRefusesOneOverTheSetting() throws Exception {
        HpackDecoder decoder = new HpackDecoder(4096);
        assertBlock(decoder, "828684410f7777772e6578616d706c652e636f6d", REQUEST_1, 57);
        // 0x20: a size update to 0 empties the table
        assertThat(decoder.decode(HexFormat.of().parseHex("2082"))).containsExactly(new Header(":method", "GET"));
        assertThat(decoder.tableSize()).isZero();
        // 0x3f e1 1f: a size update to 4097
        assertThatThrownBy(() -> decoder.decode(HexFormat.of().parseHex("3fe21f")))
                .isInstanceOf(Http2Exception.class);
    }

    @Test
    void refusesHuffmanPaddingThatIsNotEos() {
        HpackDecoder decoder = new HpackDecoder(4096);
        // a literal value of one byte 0x00: '0' (5 bits 00000) followed by padding 000, not ones
        assertThatThrownBy(() -> decoder.decode(HexFormat.of().parseHex("0001618100")))
                .isInstanceOf(Http2Exception.class);
    }

    @Test
    void encoderOutputDecodesToTheSameHeaders() throws Exception {
        List<Header> headers = List.of(
                new Header(":path", "/runtime.v1.RuntimeService/Version"), new Header("x-long", "v".repeat(300)));
        assertThat(new HpackDecoder(4096).decode(HpackEncoder.encode(headers))).isEqualTo(headers);
    }

    private static void assertBlock(HpackDecoder decoder, String hex, List<Header> expected, int tableSize)
            throws Http2Exception {
        assertThat(decoder.decode(HexFormat.of().parseHex(hex))).isEqualTo(expected);
        assertThat(decoder.tableSize()).isEqualTo(tableSize);
    }
}
