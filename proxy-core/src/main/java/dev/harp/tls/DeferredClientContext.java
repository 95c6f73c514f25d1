package dev.harp.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * A client {@link SSLContext} whose trust is built when a connection first needs it ({@link ClientTls#deferred}), so
 * that it can be installed as a JVM's default before Harp's CA exists. What a client asks when it is merely created
 * (the JDK {@code HttpClient} reads the default parameters) is answered without the trust: the protocols and cipher
 * suites of a {@code TLS} context do not depend on it. Sockets, engines and session contexts wait for the real one.
 */
final class DeferredClientContext extends SSLContextSpi {
    private final Supplier<SSLContext> delegate;
    private final BooleanSupplier built;

    private DeferredClientContext(Supplier<SSLContext> delegate, BooleanSupplier built) {
        this.delegate = delegate;
        this.built = built;
    }

    /**
     * @param delegate the initialized context, made (or waited for) by the first call and the same ever after
     * @param built    whether it is made already, so that asking for it would not wait
     * @return the context to hand out
     */
    static SSLContext of(Supplier<SSLContext> delegate, BooleanSupplier built) {
        return new Wrapper(new DeferredClientContext(delegate, built));
    }

    private boolean isBuilt() {
        return built.getAsBoolean();
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
        throw new KeyManagementException("this SSLContext is already initialized");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
        return isBuilt() ? delegate.get().getSocketFactory() : new Sockets();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
        return delegate.get().getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
        return delegate.get().createSSLEngine();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
        return delegate.get().createSSLEngine(host, port);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
        return delegate.get().getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
        return delegate.get().getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
        return isBuilt() ? delegate.get().getDefaultSSLParameters() : Untrusted.CONTEXT.getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
        return isBuilt() ? delegate.get().getSupportedSSLParameters() : Untrusted.CONTEXT.getSupportedSSLParameters();
    }

    /**
     * A {@code TLS} context of the same provider with no trust at all (nothing read from disk): only asked for its
     * parameters, which are those of any {@code TLS} context of the JDK.
     */
    private static final class Untrusted {
        static final SSLContext CONTEXT = make();

        private static SSLContext make() {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(new KeyManager[0], new TrustManager[0], null);
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK's TLS implementation is not available", e);
            }
        }
    }

    /** The socket factory of the context once it is made, for {@code HttpsURLConnection}'s default. */
    private final class Sockets extends SSLSocketFactory {
        private SSLSocketFactory real() {
            return delegate.get().getSocketFactory();
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return real().getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return real().getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return real().createSocket();
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return real().createSocket(s, host, port, autoClose);
        }

        @Override
        public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
            return real().createSocket(s, consumed, autoClose);
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return real().createSocket(host, port);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return real().createSocket(host, port, localHost, localPort);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return real().createSocket(host, port);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return real().createSocket(address, port, localAddress, localPort);
        }
    }

    /** {@link SSLContext}'s constructor is protected; this is the public face of the wrapper. */
    private static final class Wrapper extends SSLContext {
        Wrapper(DeferredClientContext spi) {
            super(spi, new Named(), "TLS");
        }
    }

    /** What the context names as its provider; the trust is made by SunJSSE when it is needed. */
    private static final class Named extends Provider {
        private static final long serialVersionUID = 1L;

        Named() {
            super("HarpDeferredClientTls", "1.0", "Harp's client trust, made by SunJSSE on first use");
        }
    }
}
