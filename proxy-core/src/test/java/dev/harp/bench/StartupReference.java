package dev.harp.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The JDK reference of the cli-start part: what any JVM pays to start and listen, with none of Harp. It opens a
 * {@link ServerSocket} on port 0 of 127.0.0.1, prints {@code listening on 127.0.0.1:PORT} as Harp's CLI does, and
 * answers each connection with one {@code 200} of 1 KiB (read the request head, write the answer, close) until it
 * is ended. Run as {@code java -cp proxy-core/target/test-classes dev.harp.bench.StartupReference}: only JDK
 * classes, so the figures are the JVM's own start-up.
 */
public final class StartupReference {
    private StartupReference() {
    }

    public static void main(String[] args) throws IOException {
        byte[] body = new byte[1024];
        Arrays.fill(body, (byte) 'x');
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            System.out.println("listening on 127.0.0.1:" + server.getLocalPort());
            System.out.flush();
            while (true) {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(10_000);
                    InputStream in = s.getInputStream();
                    int state = 0; // bytes of "\r\n\r\n" seen in a row
                    while (state < 4) {
                        int b = in.read();
                        if (b < 0) {
                            break;
                        }
                        state = b == (state % 2 == 0 ? '\r' : '\n') ? state + 1 : (b == '\r' ? 1 : 0);
                    }
                    OutputStream out = s.getOutputStream();
                    out.write(head);
                    out.write(body);
                    out.flush();
                } catch (IOException e) {
                    // that client went away: wait for the next
                }
            }
        }
    }
}
