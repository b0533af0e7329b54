package dev.xmppscope.replay.live;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SASL SCRAM-SHA-1 / SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel
 * binding, so a replay can log in with new credentials where the recording used SCRAM: the
 * recorded proofs are bound to the recorded nonces and cannot be resent.
 */
final class ScramClient {
    private final String mechanism;
    private final String hash;
    private final String hmac;
    private final String user;
    private final String password;
    private final String clientNonce;
    private String clientFirstBare;
    private byte[] expectedServerSignature;

    ScramClient(String mechanism, String user, String password) {
        this(mechanism, user, password, randomNonce());
    }

    /** With a given client nonce: for the RFC's test vectors. */
    ScramClient(String mechanism, String user, String password, String clientNonce) {
        this.mechanism = mechanism;
        switch (mechanism) {
            case "SCRAM-SHA-1" -> { hash = "SHA-1"; hmac = "HmacSHA1"; }
            case "SCRAM-SHA-256" -> { hash = "SHA-256"; hmac = "HmacSHA256"; }
            default -> throw new IllegalArgumentException("replay speaks SCRAM-SHA-1 and SCRAM-SHA-256, not " + mechanism);
        }
        this.user = user;
        this.password = password;
        this.clientNonce = clientNonce;
    }

    private static String randomNonce() {
        byte[] nonce = new byte[18];
        new SecureRandom().nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    String mechanism() {
        return mechanism;
    }

    /** The initial response: {@code n,,n=USER,r=NONCE}, base64. */
    String clientFirst() {
        clientFirstBare = "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
        return b64(("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8));
    }

    /** The answer to the server's challenge (base64 in, base64 out). */
    String clientFinal(String serverFirstB64) {
        String serverFirst = new String(Base64.getDecoder().decode(serverFirstB64.trim()), StandardCharsets.UTF_8);
        Map<String, String> f = attributes(serverFirst);
        String nonce = f.get("r");
        if (nonce == null || !nonce.startsWith(clientNonce)) {
            throw new IllegalStateException("the server's SCRAM nonce does not extend ours: " + serverFirst);
        }
        byte[] salt = Base64.getDecoder().decode(f.get("s"));
        int iterations = Integer.parseInt(f.get("i"));
        try {
            SecretKeyFactory kf = SecretKeyFactory.getInstance(hash.equals("SHA-1") ? "PBKDF2WithHmacSHA1" : "PBKDF2WithHmacSHA256");
            int bits = hash.equals("SHA-1") ? 160 : 256;
            byte[] salted = kf.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, bits)).getEncoded();
            byte[] clientKey = mac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance(hash).digest(clientKey);
            String withoutProof = "c=biws,r=" + nonce;
            String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
            byte[] signature = mac(storedKey, authMessage);
            byte[] proof = new byte[clientKey.length];
            for (int i = 0; i < proof.length; i++) {
                proof[i] = (byte) (clientKey[i] ^ signature[i]);
            }
            expectedServerSignature = mac(mac(salted, "Server Key"), authMessage);
            return b64((withoutProof + ",p=" + b64(proof)).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SCRAM computation failed: " + e.getMessage(), e);
        }
    }

    /** True when the server's final message carries the signature only the real server can make. */
    boolean verifyServerFinal(String serverFinalB64) {
        String text = new String(Base64.getDecoder().decode(serverFinalB64.trim()), StandardCharsets.UTF_8);
        String v = attributes(text).get("v");
        return v != null && expectedServerSignature != null
                && MessageDigest.isEqual(Base64.getDecoder().decode(v), expectedServerSignature);
    }

    private byte[] mac(byte[] key, String text) throws GeneralSecurityException {
        Mac m = Mac.getInstance(hmac);
        m.init(new SecretKeySpec(key, hmac));
        return m.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> attributes(String message) {
        Map<String, String> out = new HashMap<>();
        for (String part : message.split(",")) {
            int eq = part.indexOf('=');
            if (eq == 1) {
                out.put(part.substring(0, 1), part.substring(2));
            }
        }
        return out;
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
