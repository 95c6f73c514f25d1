import com.sun.net.httpserver.HttpServer
import java.nio.charset.StandardCharsets

// A local "API" and a client that waits (bounded) for harp:run to say where it listens, then calls the API through it.
def server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0)
server.createContext('/hello') { exchange ->
    byte[] body = 'hi from the API'.getBytes(StandardCharsets.UTF_8)
    exchange.responseHeaders.add('Content-Type', 'text/plain')
    exchange.sendResponseHeaders(200, body.length)
    exchange.responseBody.withStream { it.write(body) }
}
server.start()
def log = new File(basedir, 'build.log')
def result = new File(basedir, 'client.txt')
Thread.start('harp-it-client') {
    try {
        long deadline = System.nanoTime() + 120_000_000_000L
        Integer port = null
        while (port == null && System.nanoTime() < deadline) {
            def m = log.isFile() ? (log.text =~ /listening on http:\/\/127\.0\.0\.1:(\d+)/) : null
            if (m) {
                port = m[0][1] as Integer
            } else {
                Thread.sleep(50) // polling a file another process writes; bounded by the deadline above
            }
        }
        if (port == null) {
            result.text = 'harp:run never said where it listens'
            return
        }
        def proxy = new Proxy(Proxy.Type.HTTP, new InetSocketAddress('127.0.0.1', port))
        def url = new URL("http://127.0.0.1:${server.address.port}/hello?token=s3cret-value")
        def conn = url.openConnection(proxy)
        conn.connectTimeout = 5000
        conn.readTimeout = 5000
        result.text = conn.responseCode + ' ' + conn.inputStream.getText('UTF-8')
    } catch (Exception e) {
        result.text = 'client failed: ' + e
    } finally {
        server.stop(0)
    }
}
return true
