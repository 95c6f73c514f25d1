package dev.harp.resilience;

import dev.harp.tls.CertificateAuthority;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** Raw client moves on sockets: requests written by hand, CONNECT, TLS on a tunnel, and a minimal HTTP/2 client. */
final class Wire {
    private Wire() {
    }

    /** A socket to the proxy with a small receive buffer (so a large response is mid-body when the client leaves). */
    static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(32 * 1024);
        s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    static void write(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    /** A proxy-form request head (absolute URL) for {@code url} with extra header lines. */
    static String head(String method, String url, String... headerLines) {
        String authority = url.replaceFirst("^[a-z]+://", "").replaceFirst("/.*$", "");
        StringBuilder b = new StringBuilder(method).append(' ').append(url).append(" HTTP/1.1\r\nHost: ").append(authority).append("\r\n");
        for (String h : headerLines) {
            b.append(h).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    /** An origin-form request head, for use inside a TLS tunnel. */
    static String originHead(String method, String authority, String path, String... headerLines) {
        StringBuilder b = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(authority).append("\r\n");
        for (String h : headerLines) {
            b.append(h).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    /** Reads a response head (up to the blank line); returns it, or what came before EOF. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        for (int c; (c = in.read()) >= 0; ) {
            head.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) ? state + 1 : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            if (state == 4) {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads one whole response with a Content-Length body; returns head and body as text. */
    static String readResponse(InputStream in) throws IOException {
        String head = readHead(in);
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** Sends CONNECT for {@code authority} and reads the proxy's answer head. */
    static String connectTunnel(Socket s, String authority) throws IOException {
        write(s, "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
        return readHead(s.getInputStream());
    }

    /** TLS over an established tunnel, trusting only Harp's CA, offering the given ALPN protocols. */
    static SSLSocket tls(Socket tunnel, SSLContext context, String host, int port, String... alpn) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(tunnel, host, port, true);
        if (alpn.length > 0) {
            SSLParameters p = tls.getSSLParameters();
            p.setApplicationProtocols(alpn);
            tls.setSSLParameters(p);
        }
        tls.setSoTimeout(10_000);
        tls.startHandshake();
        return tls;
    }

    static SSLContext trusting(CertificateAuthority ca) {
        return dev.harp.testing.TestHttpsUpstream.trustingOnly(ca.certificate());
    }

    /** The bytes of a real TLS ClientHello (one record), as the JDK would send it. */
    static byte[] clientHello(SSLContext context) throws IOException {
        SSLEngine engine = context.createSSLEngine("127.0.0.1", 443);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        return hello;
    }

    /** Closes with an RST instead of a FIN. */
    static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /**
     * A minimal HTTP/2 client on a TLS socket that negotiated h2: enough to open one stream, read some of its
     * response and walk away (GOAWAY, close or reset).
     */
    static final class H2 {
        private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        private final SSLSocket socket;
        private final OutputStream out;
        private final DataInputStream in;

        H2(SSLSocket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = new DataInputStream(socket.getInputStream());
            out.write(PREFACE);
            frame(4, 0, 0, new byte[0]); // SETTINGS, all defaults
            out.flush();
        }

        /** Opens stream 1 with a GET for {@code path} (no body). */
        void get(String authority, String path) throws IOException {
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            block.write(0x82); // :method GET (static index 2)
            block.write(0x87); // :scheme https (static index 7)
            literal(block, 4, path); // :path, name from static index 4, literal value, not indexed
            literal(block, 1, authority); // :authority (static index 1)
            frame(1, 0x5, 1, block.toByteArray()); // HEADERS, END_STREAM | END_HEADERS
            out.flush();
        }

        /** Reads frames until at least {@code bytes} of DATA arrived on stream 1 or it ended; returns the DATA count. */
        long readData(long bytes) throws IOException {
            long data = 0;
            while (data < bytes) {
                int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int stream = in.readInt() & 0x7fffffff;
                in.skipNBytes(length);
                if (type == 0 && stream == 1) {
                    data += length;
                    if ((flags & 0x1) != 0) {
                        break;
                    }
                } else if (type == 3 && stream == 1 || type == 7) {
                    break; // RST_STREAM or GOAWAY from the server
                } else if (type == 1 && stream == 1 && (flags & 0x1) != 0) {
                    break;
                }
            }
            return data;
        }

        /** GOAWAY (no error) and close. */
        void goAwayAndClose() {
            try {
                frame(7, 0, 0, new byte[8]);
                out.flush();
            } catch (IOException ignored) {
                // the proxy may be gone first
            }
            closeQuietly();
        }

        void closeQuietly() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        }

        private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
            byte[] header = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
                    (byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
            out.write(header);
            out.write(payload);
        }

        private static void literal(ByteArrayOutputStream block, int nameIndex, String value) {
            byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
            if (nameIndex >= 15 || v.length >= 127) {
                throw new IllegalArgumentException("keep the test's header block simple: " + value);
            }
            block.write(nameIndex); // 0000xxxx: literal without indexing, indexed name
            block.write(v.length); // H = 0, 7-bit length
            block.write(v, 0, v.length);
        }
    }

    /** Bytes that are neither HTTP nor a TLS record the proxy could use. */
    static byte[] garbage(boolean looksLikeTls) {
        byte[] g = new byte[600];
        Arrays.fill(g, (byte) 0x5a);
        if (looksLikeTls) {
            g[0] = 0x16; // TLS handshake record type, then nonsense
            g[1] = 0x03;
            g[2] = 0x01;
            g[3] = 0x02;
            g[4] = 0x00;
        }
        return g;
    }
}
