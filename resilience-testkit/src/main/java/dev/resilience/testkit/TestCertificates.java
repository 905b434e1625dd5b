package dev.resilience.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private CA and a server certificate for {@code 127.0.0.1} it signed, made with {@code openssl}, for
 * tests of TLS clients (e.g. a {@link RedisServerProcess} started with {@code tls-port},
 * {@code tls-cert-file} {@link #serverCertificate()}, {@code tls-key-file} {@link #serverKey()}). Valid one
 * day. Needs {@code openssl} on the PATH. Immutable.
 *
 * @param caCertificate the CA's certificate (PEM)
 * @param serverCertificate the server's certificate for IP 127.0.0.1 (PEM)
 * @param serverKey the server's private key (PEM, unencrypted)
 */
public record TestCertificates(Path caCertificate, Path serverCertificate, Path serverKey) {

    /**
     * Makes the CA and the server certificate in {@code dir}.
     *
     * @param dir the folder for the files, e.g. a JUnit temporary folder
     * @return the certificates
     * @throws IllegalStateException when openssl is missing or fails
     */
    public static TestCertificates create(Path dir) {
        try {
            Files.writeString(dir.resolve("san.cnf"), "subjectAltName=IP:127.0.0.1\n");
            run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                    "-days", "1", "-subj", "/CN=resilience test CA");
            run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                    "-subj", "/CN=127.0.0.1");
            run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", "server.crt", "-days", "1", "-extfile", "san.cnf");
        } catch (IOException e) {
            throw new IllegalStateException("cannot make test certificates with openssl (is it installed?): " + e.getMessage(), e);
        }
        return new TestCertificates(dir.resolve("ca.crt"), dir.resolve("server.crt"), dir.resolve("server.key"));
    }

    /**
     * The {@code redis.conf} lines that open a TLS port with this certificate (clients need not authenticate).
     *
     * @param tlsPort the port for TLS connections
     * @return the directives, one per line of redis.conf
     */
    public List<String> redisTlsConfig(int tlsPort) {
        return List.of("tls-port " + tlsPort, "tls-cert-file " + serverCertificate, "tls-key-file " + serverKey,
                "tls-ca-cert-file " + caCertificate, "tls-auth-clients no");
    }

    /**
     * A key store of {@code type} ({@code "PKCS12"}, {@code "JKS"}) next to the CA certificate holding only that
     * certificate, protected by {@code password}.
     *
     * @param type the key store type
     * @param password the key store password
     * @return the key store file
     */
    public Path trustStore(String type, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance(type);
            store.load(null, null);
            try (InputStream in = Files.newInputStream(caCertificate)) {
                store.setCertificateEntry("test-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            Path file = caCertificate.resolveSibling("truststore." + type.toLowerCase(java.util.Locale.ROOT));
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password);
            }
            return file;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write a " + type + " trust store: " + e.getMessage(), e);
        }
    }

    private static void run(Path dir, String... command) throws IOException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running openssl", e);
        }
    }
}
