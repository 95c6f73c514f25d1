package dev.harp.proxy;

import dev.harp.tls.CertificateAuthority;
import dev.harp.tls.LeafCertificates;
import dev.harp.tls.MitmTls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;

/**
 * An HTTP/1.1 upstream on 127.0.0.1 that speaks raw bytes, plain or TLS (a leaf of its own in-memory CA, no ALPN, so
 * always HTTP/1.1), for answers no ready-made server writes: any reason phrase, interim responses, a {@code 100
 * Continue} only when asked. Keeps connections alive; each request it reads whole (Content-Length or chunked) is
 * kept, with its exact header lines, for the test to inspect.
 */
final class RawHttpUpstream implements AutoCloseable {
    /** A request as it arrived: the head's lines in order (request line first) and the whole body. */
    record Request(String requestLine, List<String> headerLines, byte[] body) {
        /** Values of one header, name compared case-insensitively, in arrival order. */
        List<String> values(String name) {
            List<String> out = new ArrayList<>();
            for (String line : headerLines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    out.add(line.substring(colon + 1).trim());
                }
            }
            return out;
        }
    }

    /** How the upstream answers one request. */
    interface Responder {
        /**
         * Called once the head is read, before the body: may write interim responses (and must write {@code 100
         * Continue} itself if it wants the body of an {@code Expect: 100-continue} request).
         */
        default void beforeBody(Request head, OutputStream out) throws IOException {
        }

        /** The whole response, as bytes on the wire, for the request read whole. */
        byte[] respond(Request request) throws IOException;
    }

    private final ServerSocket server;
    private final Responder responder;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "raw-upstream");
        t.setDaemon(true);
        return t;
    });
    private final BlockingQueue<Request> received = new LinkedBlockingQueue<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final boolean tls;

    private RawHttpUpstream(ServerSocket server, boolean tls, Responder responder) {
        this.server = server;
        this.tls = tls;
        this.responder = responder;
        pool.execute(this::accept);
    }

    /** A plain HTTP upstream. */
    static RawHttpUpstream plain(Responder responder) throws IOException {
        return new RawHttpUpstream(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), false, responder);
    }

    /** An HTTPS upstream (HTTP/1.1 only) presenting a leaf of a throw-away CA Harp does not trust by default. */
    static RawHttpUpstream tls(Responder responder) throws IOException {
        SSLServerSocket s = (SSLServerSocket) MitmTls.serverContext(new LeafCertificates(CertificateAuthority.inMemory()), "localhost")
                .getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        return new RawHttpUpstream(s, true, responder);
    }

    /** The canned answer: a status line with any reason phrase, extra header lines, and a body with its length. */
    static byte[] response(String statusLine, String body, String... headerLines) {
        StringBuilder b = new StringBuilder(statusLine).append("\r\n");
        for (String h : headerLines) {
            b.append(h).append("\r\n");
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        b.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(b.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(bytes);
        return out.toByteArray();
    }

    int port() {
        return server.getLocalPort();
    }

    /** {@code https://localhost:PORT} (a name Harp's leaf carries) or {@code http://127.0.0.1:PORT}, and the path. */
    String url(String path) {
        return (tls ? "https://localhost:" : "http://127.0.0.1:") + port() + path;
    }

    /** The next request read whole, in arrival order; fails when none arrives within the bound. */
    Request next(Duration bound) throws InterruptedException {
        Request r = received.poll(bound.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("the upstream received no (further) whole request within " + bound);
        }
        return r;
    }

    /** Requests read whole and not yet taken by {@link #next}. */
    int pending() {
        return received.size();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket c = server.accept();
                open.add(c);
                pool.execute(() -> serve(c));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket c) {
        try (c) {
            c.setSoTimeout(20_000);
            c.setTcpNoDelay(true);
            InputStream in = c.getInputStream();
            OutputStream out = c.getOutputStream();
            while (true) {
                List<String> lines = readHeadLines(in);
                if (lines == null) {
                    return;
                }
                Request head = new Request(lines.get(0), List.copyOf(lines.subList(1, lines.size())), new byte[0]);
                responder.beforeBody(head, out);
                out.flush();
                byte[] body = readBody(in, head);
                Request whole = new Request(head.requestLine(), head.headerLines(), body);
                received.add(whole);
                out.write(responder.respond(whole));
                out.flush();
            }
        } catch (IOException ended) {
            // the proxy closed the connection, or the test is over
        } finally {
            open.remove(c);
        }
    }

    private static byte[] readBody(InputStream in, Request head) throws IOException {
        List<String> te = head.values("Transfer-Encoding");
        if (!te.isEmpty() && te.get(te.size() - 1).toLowerCase(Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = readLine(in);
                if (size == null) {
                    throw new IOException("EOF in a chunked body");
                }
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                if (n == 0) {
                    String trailer;
                    do {
                        trailer = readLine(in);
                    } while (trailer != null && !trailer.isEmpty());
                    return body.toByteArray();
                }
                body.writeBytes(in.readNBytes(n));
                readLine(in);
            }
        }
        List<String> cl = head.values("Content-Length");
        if (cl.isEmpty()) {
            return new byte[0];
        }
        int n = Integer.parseInt(cl.get(0));
        byte[] body = in.readNBytes(n);
        if (body.length != n) {
            throw new IOException("EOF after " + body.length + " of " + n + " body bytes");
        }
        return body;
    }

    /** The head's lines without the blank one; null at a clean end of the connection. */
    private static List<String> readHeadLines(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine(in);
            if (line == null) {
                if (lines.isEmpty()) {
                    return null;
                }
                throw new IOException("EOF inside a request head");
            }
            if (line.isEmpty()) {
                if (lines.isEmpty()) {
                    continue;
                }
                return lines;
            }
            lines.add(line);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket c : open) {
            c.close(); // a blocked read does not end on an interrupt
        }
        pool.shutdownNow();
    }
}
