package dev.harp.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private nginx: generated configuration in a temporary folder, one worker, no access log, listening on
 * 127.0.0.1 only, run in the foreground as a child process and ended on {@link #close()}.
 */
final class NginxUpstream implements Upstream {
    private final Process process;
    private final int httpPort;
    private final int httpsPort;
    private final String version;

    private NginxUpstream(Process process, int httpPort, int httpsPort, String version) {
        this.process = process;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
        this.version = version;
    }

    /** The nginx binary on the PATH or in /usr/sbin, or null. */
    static Path find() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin").split(":")) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, "nginx");
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    static NginxUpstream start(Path nginx, Path dir, TlsMaterial tls) throws IOException, InterruptedException {
        Path www = Files.createDirectories(dir.resolve("www"));
        for (Bodies b : Bodies.values()) {
            Files.write(www.resolve(b.path.substring(1)), b.bytes());
        }
        Files.createDirectories(dir.resolve("tmp"));
        tls.writeUpstreamPem(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        // nginx's worker runs as an unprivileged user when started as root: let it read the files
        for (Path p : List.of(dir, www, dir.resolve("tmp"))) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        for (Bodies b : Bodies.values()) {
            Files.setPosixFilePermissions(www.resolve(b.path.substring(1)), PosixFilePermissions.fromString("rw-r--r--"));
        }
        String version = versionOf(nginx);
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int http = freePort();
            int https = freePort();
            Path conf = dir.resolve("nginx.conf");
            Files.writeString(conf, config(dir, http, https), StandardCharsets.UTF_8);
            ProcessBuilder pb = new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-c", conf.toString(),
                    "-e", dir.resolve("error.log").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("nginx.out").toFile());
            Process p = Children.start(pb);
            if (waitListening(p, http) && waitListening(p, https)) {
                return new NginxUpstream(p, http, https, version);
            }
            Children.end(p);
            last = new IOException("nginx did not start: " + tail(dir.resolve("nginx.out")) + " " + tail(dir.resolve("error.log")));
        }
        throw last;
    }

    private static String config(Path dir, int http, int https) {
        String d = dir.toString();
        String temps = String.join("\n", List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi").stream()
                .map(t -> "    " + t + "_temp_path " + d + "/tmp/" + t + ";").toList());
        return """
                daemon off;
                master_process on;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 4096; }
                http {
                    access_log off;
                %2$s
                    types { text/plain txt; }
                    default_type text/plain;
                    sendfile on;
                    tcp_nopush on;
                    tcp_nodelay on;
                    keepalive_timeout 120s;
                    keepalive_requests 100000000;
                    server {
                        listen 127.0.0.1:%3$d;
                        root %1$s/www;
                    }
                    server {
                        listen 127.0.0.1:%4$d ssl http2;
                        ssl_certificate %1$s/cert.pem;
                        ssl_certificate_key %1$s/key.pem;
                        ssl_protocols TLSv1.2 TLSv1.3;
                        root %1$s/www;
                    }
                }
                """.formatted(d, temps, http, https);
    }

    private static String versionOf(Path nginx) {
        try {
            Process p = new ProcessBuilder(nginx.toString(), "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            int slash = out.indexOf("nginx/");
            return slash >= 0 ? out.substring(slash).split("\\s")[0] : "nginx";
        } catch (IOException e) {
            return "nginx";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "nginx";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean waitListening(Process p, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                return false;
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return true;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    private static String tail(Path file) {
        try {
            String s = Files.exists(file) ? Files.readString(file) : "";
            return s.length() > 500 ? s.substring(s.length() - 500) : s;
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public int httpPort() {
        return httpPort;
    }

    @Override
    public int httpsPort() {
        return httpsPort;
    }

    @Override
    public List<Long> pids() {
        return process.isAlive() ? CpuMeter.treeOf(process.toHandle()) : List.of();
    }

    @Override
    public String description() {
        return version + " (private instance: worker_processes 1, access_log off, sendfile; HTTPS offers h2 and http/1.1 by ALPN)";
    }

    @Override
    public void close() {
        Children.end(process);
    }
}
