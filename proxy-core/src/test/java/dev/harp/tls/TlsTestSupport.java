package dev.harp.tls;

import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/** Shared helpers for the handshake tests: strict clients and an in-memory engine pump. */
final class TlsTestSupport {
    private TlsTestSupport() {
    }

    /** A client context that trusts only the given CA (and no JDK default CA). */
    static SSLContext clientTrustingOnly(CertificateAuthority ca) throws Exception {
        return dev.harp.testing.TestHttpsUpstream.trustingOnly(ca.certificate());
    }

    /** A client engine for the host with HTTPS host name verification, as browsers and HttpClient do. */
    static SSLEngine strictClientEngine(SSLContext context, String host) {
        SSLEngine engine = context.createSSLEngine(host, 443);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** Runs a full handshake between two engines through memory buffers, in bounded steps. */
    static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
        ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
        ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
        client.beginHandshake();
        server.beginHandshake();
        for (int step = 0; step < 200; step++) {
            if (finished(client) && finished(server)) {
                return;
            }
            advance(client, toClient, toServer);
            advance(server, toServer, toClient);
        }
        throw new AssertionError("handshake did not finish: client " + client.getHandshakeStatus()
                + ", server " + server.getHandshakeStatus());
    }

    private static boolean finished(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    private static void advance(SSLEngine engine, ByteBuffer in, ByteBuffer out) throws SSLException {
        ByteBuffer application = ByteBuffer.allocate(1 << 17);
        for (int i = 0; i < 20; i++) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                    task.run();
                }
            } else if (status == HandshakeStatus.NEED_WRAP) {
                engine.wrap(ByteBuffer.allocate(0), out);
            } else if (status == HandshakeStatus.NEED_UNWRAP || status == HandshakeStatus.NEED_UNWRAP_AGAIN) {
                in.flip();
                int before = in.remaining();
                HandshakeStatus after = engine.unwrap(in, application).getHandshakeStatus();
                boolean consumed = in.remaining() != before;
                in.compact();
                if (!consumed && after == status) {
                    return; // waits for the peer
                }
            } else {
                return;
            }
        }
    }

    /** The subject alternative names of the first certificate, as "type:value" strings. */
    static List<String> sans(Certificate[] chain) throws Exception {
        List<String> names = new ArrayList<>();
        for (List<?> name : ((X509Certificate) chain[0]).getSubjectAlternativeNames()) {
            names.add((((Integer) name.get(0)) == 7 ? "ip:" : "dns:") + name.get(1));
        }
        return names;
    }
}
