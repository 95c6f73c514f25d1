package dev.harp.proxy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A WebSocket client on a plain socket, for the paths the JDK's client cannot take (absolute-form {@code ws://} to a
 * forward proxy, a reverse proxy) and for cutting a conversation short: writes the handshake it is given, then masked
 * frames, and reads the server's frames one by one. Reads are bounded by the socket's timeout.
 */
public final class RawWsClient implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private String head;
    private String key;

    /**
     * A frame as read: opcode and payload.
     *
     * @param opcode  the frame's opcode
     * @param payload its unmasked payload
     */
    public record Frame(int opcode, byte[] payload) {
        /** The payload as UTF-8 text. */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** A close frame's code (1005 when it has none). */
        public int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }

        /** A close frame's reason. */
        public String closeReason() {
            return payload.length < 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }

    /** A client on a connected socket; reads time out after 10 s. */
    public RawWsClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Sends the upgrade with {@code requestTarget} (absolute or origin form) and reads the response head. */
    public String handshake(String requestTarget, String host, String... extraHeaders) throws IOException {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        key = Base64.getEncoder().encodeToString(nonce);
        StringBuilder req = new StringBuilder("GET " + requestTarget + " HTTP/1.1\r\nHost: " + host + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n");
        for (String h : extraHeaders) {
            req.append(h).append("\r\n");
        }
        req.append("\r\n");
        out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        head = readHead(in);
        return head;
    }

    /** The handshake's response head, or null before it. */
    public String head() {
        return head;
    }

    /** The Sec-WebSocket-Key the handshake sent, or null before it. */
    public String key() {
        return key;
    }

    public void sendText(String text) throws IOException {
        send(0x1, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** Sends a text message in fragments: the first frame text, the rest continuations. */
    public void sendFragmented(String... parts) throws IOException {
        for (int i = 0; i < parts.length; i++) {
            send(i == 0 ? 0x1 : 0x0, parts[i].getBytes(StandardCharsets.UTF_8), i == parts.length - 1);
        }
    }

    public void sendBinary(byte[] data) throws IOException {
        send(0x2, data, true);
    }

    public void sendPing(byte[] data) throws IOException {
        send(0x9, data, true);
    }

    public void sendClose(int code, String reason) throws IOException {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + r.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(r, 0, payload, 2, r.length);
        send(0x8, payload, true);
    }

    public void send(int opcode, byte[] payload, boolean fin) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                frame.write((int) ((long) payload.length >> (8 * i)));
            }
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** Writes bytes as they are (a frame cut short, say). */
    public void rawBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next frame from the server (unmasked). */
    public Frame read() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    /** The next data or close frame, skipping pings and pongs. */
    public Frame readMessage() throws IOException {
        while (true) {
            Frame f = read();
            if (f.opcode() != 0x9 && f.opcode() != 0xA) {
                return f;
            }
        }
    }

    /** Resets the connection: no close frame, an RST instead of a FIN. */
    public void vanish() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** Whether the server closed the TCP connection (end of stream) before the socket timeout. */
    public boolean endOfStream() throws IOException {
        return in.read() < 0;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    public static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed before the end of the response head: " + b);
            }
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1
                    : c == '\r' ? 1 : 0;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
