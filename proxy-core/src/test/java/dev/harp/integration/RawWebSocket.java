package dev.harp.integration;

import dev.harp.HarpServer;
import dev.harp.proxy.RawWsClient;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Opens a {@link RawWsClient} to Harp with an upgrade sent in absolute form (or origin form, as to a reverse proxy),
 * for the replay tests: the paths and frames the JDK's WebSocket client cannot produce.
 */
final class RawWebSocket {
    static final int TEXT = 1;
    static final int BINARY = 2;
    static final int CLOSE = 8;
    static final int PING = 9;
    static final int PONG = 10;

    private RawWebSocket() {
    }

    /**
     * Connects to Harp and sends the upgrade for {@code url} (absolute form, or origin form when it starts with
     * {@code /}) with extra header lines; the response head is then {@link RawWsClient#head()}.
     */
    static RawWsClient open(HarpServer harp, String url, String... headerLines) throws IOException {
        String authority = url.startsWith("/") ? "127.0.0.1:" + harp.address().getPort() : URI.create(url).getRawAuthority();
        Socket socket = new Socket();
        try {
            socket.connect(harp.address(), (int) Proxied.TIMEOUT.toMillis());
            RawWsClient client = new RawWsClient(socket);
            client.handshake(url, authority, headerLines);
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The accept value RFC 6455 derives from a key. */
    static String acceptFor(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
