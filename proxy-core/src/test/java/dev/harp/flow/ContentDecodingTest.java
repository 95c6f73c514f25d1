package dev.harp.flow;

import dev.harp.testing.TestUpstream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContentDecodingTest {
    private static final long MAX = 1 << 20;

    @Test
    void undoesGzip() throws IOException {
        byte[] gz = TestUpstream.gzip("hello gzip");
        assertThat(new String(ContentDecoding.decode(gz, "gzip", MAX), StandardCharsets.UTF_8)).isEqualTo("hello gzip");
    }

    @Test
    void undoesBrotliMadeByTheBrotliTool() throws IOException {
        byte[] br = resource("hello.txt.br");
        byte[] plain = resource("hello.txt");
        assertThat(ContentDecoding.decode(br, "br", MAX)).isEqualTo(plain);
    }

    @Test
    void undoesZlibAndRawDeflate() throws IOException {
        byte[] text = "deflated text".getBytes(StandardCharsets.UTF_8);
        assertThat(ContentDecoding.decode(deflate(text, false), "deflate", MAX)).isEqualTo(text);
        assertThat(ContentDecoding.decode(deflate(text, true), "deflate", MAX)).isEqualTo(text);
    }

    @Test
    void undoesStackedCodingsRightToLeft() throws IOException {
        byte[] twice = TestUpstream.gzip(new String(deflate("layers".getBytes(StandardCharsets.UTF_8), false), StandardCharsets.ISO_8859_1));
        // gzip of the ISO-8859-1 string is not byte-exact for binary input, so build the stack explicitly
        byte[] inner = deflate("layers".getBytes(StandardCharsets.UTF_8), false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(inner);
        }
        assertThat(twice).isNotEmpty();
        assertThat(new String(ContentDecoding.decode(out.toByteArray(), "deflate, gzip", MAX), StandardCharsets.UTF_8)).isEqualTo("layers");
    }

    @Test
    void identityAndMissingEncodingLeaveTheBodyAlone() throws IOException {
        byte[] body = {1, 2, 3};
        assertThat(ContentDecoding.decode(body, null, MAX)).isSameAs(body);
        assertThat(ContentDecoding.decode(body, "identity", MAX)).isEqualTo(body);
    }

    @Test
    void refusesWhatItCannotUndo() {
        assertThat(ContentDecoding.isSupported("zstd")).isFalse();
        assertThat(ContentDecoding.isSupported("gzip, br")).isTrue();
        assertThatThrownBy(() -> ContentDecoding.decode(new byte[] {1}, "zstd", MAX))
                .isInstanceOf(ContentDecoding.UnsupportedEncodingException.class).hasMessageContaining("zstd");
        assertThatThrownBy(() -> ContentDecoding.decode("not gzip".getBytes(StandardCharsets.UTF_8), "gzip", MAX))
                .isInstanceOf(IOException.class);
    }

    @Test
    void stopsADecompressionBomb() throws IOException {
        byte[] bomb = TestUpstream.gzip("a".repeat(100_000));
        assertThatThrownBy(() -> ContentDecoding.decode(bomb, "gzip", 1000)).hasMessageContaining("larger than 1000");
    }

    private static byte[] deflate(byte[] data, boolean raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
            d.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ContentDecodingTest.class.getResourceAsStream("/bodies/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
