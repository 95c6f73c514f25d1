import java.nio.file.Files
import java.nio.file.attribute.PosixFilePermissions
import java.security.KeyStore
import java.security.cert.CertificateFactory

def target = new File(basedir, 'target')
def pem = new File(target, 'harp-ca.pem')
assert pem.isFile()
assert !pem.text.contains('PRIVATE KEY')
def cert = CertificateFactory.getInstance('X.509').generateCertificate(pem.newInputStream())

def store = KeyStore.getInstance('PKCS12')
new File(target, 'harp-ca.p12').withInputStream { store.load(it, 'changeit'.toCharArray()) }
assert store.getCertificate('harp-ca') == cert : 'the trust store holds the same CA as the PEM file'

def key = new File(target, 'ca/harp-ca-key.pem')
assert key.isFile()
assert PosixFilePermissions.toString(Files.getPosixFilePermissions(key.toPath())) == 'rw-------'

def log = new File(basedir, 'build.log').text
assert log.contains('Harp CA written to ' + pem.canonicalPath)
assert !log.contains('[WARNING]') : 'no warning (plugin validation, logging bindings) in:\n' + log
return true
