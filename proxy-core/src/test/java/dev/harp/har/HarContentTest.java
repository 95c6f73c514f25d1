package dev.harp.har;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HarContentTest {
    private static final byte[] PNG_HEADER = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
        0, 0, 0, 13, 'I', 'H', 'D', 'R', (byte) 0xff, (byte) 0xfe};

    @Test
    void bodyBytesDecodesBase64() {
        HarContent c = new HarContent(5, null, "image/gif", "R0lGOA==", "base64", null, null);
        assertThat(c.isBase64()).isTrue();
        assertThat(c.bodyBytes()).containsExactly('G', 'I', 'F', '8');
    }

    @Test
    void bodyBytesToleratesLineBreaksMissingPaddingAndEncodingCase() {
        HarContent c = new HarContent(4, null, "image/gif", "R0lG\r\nOA", "Base64", null, null);
        assertThat(c.bodyBytes()).containsExactly('G', 'I', 'F', '8');
    }

    @Test
    void bodyBytesOfTextIsUtf8() {
        HarContent c = new HarContent(9, null, "text/plain", "héllo ☃", null, null, null);
        assertThat(c.bodyBytes()).isEqualTo("héllo ☃".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void bodyBytesIsEmptyWhenTextIsAbsent() {
        assertThat(HarContent.none("text/html").bodyBytes()).isEmpty();
        assertThat(new HarContent(-1, null, "", null, "base64", null, null).bodyBytes()).isEmpty();
    }

    @Test
    void unknownEncodingIsNotInterpreted() {
        HarContent hex = new HarContent(2, null, "image/png", "89504e47", "hex", null, null);
        assertThat(hex.bodyBytes()).isEqualTo("89504e47".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void invalidBase64FailsWithAClearMessage() {
        HarContent c = new HarContent(3, null, "image/png", "not*base64!", "base64", null, null);
        assertThatThrownBy(c::bodyBytes).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not valid base64");
    }

    @Test
    void jsonWithNonAsciiIsStoredAsText() {
        byte[] json = "{\"city\":\"Zürich\",\"snow\":\"☃\"}".getBytes(StandardCharsets.UTF_8);
        HarContent c = HarContent.ofBytes(json, "application/json; charset=utf-8");
        assertThat(c.encoding()).isNull();
        assertThat(c.text()).isEqualTo("{\"city\":\"Zürich\",\"snow\":\"☃\"}");
        assertThat(c.size()).isEqualTo(json.length);
        assertThat(c.mimeType()).isEqualTo("application/json; charset=utf-8");
        assertThat(c.bodyBytes()).isEqualTo(json);
    }

    @Test
    void imageIsStoredAsBase64() {
        HarContent c = HarContent.ofBytes(PNG_HEADER, "image/png");
        assertThat(c.encoding()).isEqualTo("base64");
        assertThat(c.text()).isEqualTo(Base64.getEncoder().encodeToString(PNG_HEADER));
        assertThat(c.size()).isEqualTo(PNG_HEADER.length);
        assertThat(c.bodyBytes()).isEqualTo(PNG_HEADER);
    }

    @Test
    void validUtf8WithABinaryMimeTypeIsStillBase64() {
        byte[] ascii = "GIF89a".getBytes(StandardCharsets.US_ASCII);
        HarContent c = HarContent.ofBytes(ascii, "image/gif");
        assertThat(c.encoding()).isEqualTo("base64");
        assertThat(c.bodyBytes()).isEqualTo(ascii);
    }

    @Test
    void invalidUtf8WithATextMimeTypeIsBase64() {
        byte[] latin1 = "café".getBytes(StandardCharsets.ISO_8859_1);
        HarContent c = HarContent.ofBytes(latin1, "text/html; charset=iso-8859-1");
        assertThat(c.encoding()).isEqualTo("base64");
        assertThat(c.bodyBytes()).isEqualTo(latin1);
    }

    @Test
    void truncatedUtf8SequenceIsBase64() {
        byte[] cut = {'a', (byte) 0xe2, (byte) 0x98};
        assertThat(HarContent.ofBytes(cut, "text/plain").encoding()).isEqualTo("base64");
    }

    @Test
    void byteOrderMarkInATextBodySurvives() {
        byte[] withBom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'h', 'i'};
        HarContent c = HarContent.ofBytes(withBom, "text/plain");
        assertThat(c.encoding()).isNull();
        assertThat(c.bodyBytes()).isEqualTo(withBom);
    }

    @Test
    void emptyBodyIsEmptyText() {
        HarContent c = HarContent.ofBytes(new byte[0], "application/octet-stream");
        assertThat(c.text()).isEmpty();
        assertThat(c.encoding()).isNull();
        assertThat(c.size()).isZero();
    }

    @Test
    void missingMimeTypeMeansBinary() {
        HarContent c = HarContent.ofBytes("hi".getBytes(StandardCharsets.UTF_8), null);
        assertThat(c.mimeType()).isEmpty();
        assertThat(c.encoding()).isEqualTo("base64");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/html", "TEXT/CSS; charset=UTF-8", "application/json",
        "application/problem+json", "application/vnd.api+json", "application/xml",
        "image/svg+xml", "application/javascript", "application/x-www-form-urlencoded",
        "application/json+protobuf", "application/ld+json", "application/x-ndjson",
        "application/csp-report", "text/event-stream"})
    void textualMimeTypes(String type) {
        assertThat(MimeTypes.isTextual(type)).isTrue();
        byte[] body = "x=1".getBytes(StandardCharsets.UTF_8);
        assertThat(HarContent.ofBytes(body, type).encoding()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "image/png", "application/octet-stream", "application/pdf",
        "application/x-protobuf", "font/woff2", "video/mp4", "json", "application/",
        "multipart/form-data; boundary=x"})
    void binaryMimeTypes(String type) {
        assertThat(MimeTypes.isTextual(type)).isFalse();
    }

    @Test
    void ofTextCountsUtf8Bytes() {
        HarContent c = HarContent.ofText("☃", "text/plain");
        assertThat(c.size()).isEqualTo(3);
        assertThat(c.text()).isEqualTo("☃");
    }

    @Test
    void withTextKeepsTheOtherMembers() {
        HarContent c = new HarContent(10, 2L, "text/plain", "secret", null, "c", null);
        HarContent redacted = c.withText("REDACTED", null);
        assertThat(redacted).isEqualTo(new HarContent(10, 2L, "text/plain", "REDACTED", null,
                "c", null));
    }
}
