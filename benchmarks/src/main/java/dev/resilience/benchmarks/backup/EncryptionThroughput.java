package dev.resilience.benchmarks.backup;

import dev.resilience.backup.BackupEncryption;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Where the encrypted backup's extra time goes: throughput of SHA-256, of the backup's encryption
 * ({@link BackupEncryption}, Tink streaming AES-256-GCM) and of raw JCE AES-256-GCM, round after round
 * in one fresh JVM, so the cold (before the JIT compiles the crypto loops) and warm figures show; and
 * raw JCE AES-256-GCM fed the same segments in 4 KiB updates, which the JIT compiles much sooner.
 *
 * <pre>
 * java -Xmx64m -cp benchmarks/target/benchmarks.jar dev.resilience.benchmarks.backup.EncryptionThroughput [--rounds 25] [--mb 48]
 * </pre>
 */
public final class EncryptionThroughput {

    private EncryptionThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = arg(args, "--rounds", 25);
        int megabytes = arg(args, "--mb", 48);
        BackupEncryption key = BackupEncryption.ofKey(Base64.getDecoder().decode(BackupEncryption.generateKey()), "bench");
        byte[] segment = new byte[1 << 20];
        byte[] sealed = new byte[segment.length + 16];
        new Random(1).nextBytes(segment);
        byte[] aesKey = new byte[32];
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int round = 1; round <= rounds; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < megabytes; i++) {
                sha.update(segment);
            }
            long sha256 = System.nanoTime() - t0;
            t0 = System.nanoTime();
            try (OutputStream out = key.encrypt(OutputStream.nullOutputStream(), "x.dump")) {
                for (int i = 0; i < megabytes; i++) {
                    out.write(segment);
                }
            }
            long tink = System.nanoTime() - t0;
            t0 = System.nanoTime();
            for (int i = 0; i < megabytes; i++) {
                Cipher cipher = gcm(aesKey, i, round, 0);
                cipher.doFinal(segment, 0, segment.length, sealed, 0);
            }
            long jce = System.nanoTime() - t0;
            t0 = System.nanoTime();
            for (int i = 0; i < megabytes; i++) {
                // the same segments, fed to the cipher in 4 KiB updates: many short calls get the GCM code
                // compiled (with its AES and GHASH intrinsics) far sooner than one long call per segment
                Cipher cipher = gcm(aesKey, i, round, 1);
                int out = 0;
                for (int off = 0; off < segment.length; off += 4096) {
                    out += cipher.update(segment, off, 4096, sealed, out);
                }
                cipher.doFinal(sealed, out);
            }
            long chunked = System.nanoTime() - t0;
            System.out.printf(Locale.ROOT, "round %2d: SHA-256 %6.0f MB/s, backup encryption %6.0f MB/s, raw JCE AES-GCM %6.0f MB/s,"
                            + " in 4 KiB updates %6.0f MB/s%n", round, megabytes / (sha256 / 1e9), megabytes / (tink / 1e9),
                    megabytes / (jce / 1e9), megabytes / (chunked / 1e9));
        }
    }

    /** An AES-256-GCM cipher ready to encrypt, with a nonce unique per segment, round and variant. */
    private static Cipher gcm(byte[] key, int segment, int round, int variant) throws java.security.GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        byte[] iv = new byte[12];
        iv[0] = (byte) segment;
        iv[1] = (byte) round;
        iv[2] = (byte) variant;
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        return cipher;
    }

    private static int arg(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
