package dev.jitcolumns.postgres;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** Real RS256 tokens signed with JDK keys, shaped like the ones Keycloak mints for jit-columns. */
final class Tokens {

    static final String ISSUER = "http://127.0.0.1:8080/realms/acme";
    static final ObjectMapper JSON = new ObjectMapper();
    /** The realm key published in the test database's JWKS. */
    static final Tokens KEYS = new Tokens("test-key-1");

    final String kid;
    final KeyPair pair;

    Tokens(String kid) {
        this.kid = kid;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            this.pair = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** JWKS with this key, as Keycloak serves it (plus an encryption key that must be ignored). */
    String jwks() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode keys = root.putArray("keys");
        keys.add(jwk());
        ObjectNode enc = jwk();
        enc.put("kid", kid + "-enc");
        enc.put("use", "enc");
        enc.put("alg", "RSA-OAEP");
        keys.add(enc);
        return root.toString();
    }

    ObjectNode jwk() {
        RSAPublicKey pub = (RSAPublicKey) pair.getPublic();
        ObjectNode k = JSON.createObjectNode();
        k.put("kid", kid);
        k.put("kty", "RSA");
        k.put("alg", "RS256");
        k.put("use", "sig");
        k.put("n", b64(unsigned(pub.getModulus())));
        k.put("e", b64(unsigned(pub.getPublicExponent())));
        return k;
    }

    /** Header {"alg":"RS256","typ":"JWT","kid":...}. */
    ObjectNode header() {
        ObjectNode h = JSON.createObjectNode();
        h.put("alg", "RS256");
        h.put("typ", "JWT");
        h.put("kid", kid);
        return h;
    }

    /** A valid payload for datasource "analytics" granting the given columns, 5 minutes left. */
    static ObjectNode payload(String... columns) {
        long now = Instant.now().getEpochSecond();
        ObjectNode p = JSON.createObjectNode();
        p.put("iss", ISSUER);
        p.putArray("aud").add("analytics").add("account");
        p.put("exp", now + 300);
        p.put("iat", now - 5);
        p.put("sub", "3d1b6c9e-analyst");
        p.put("jti", UUID.randomUUID().toString());
        p.put("azp", "jit-columns-cli");
        p.putObject("jit_columns").putArray("analytics").addAll(
                List.of(columns).stream().map(JSON.getNodeFactory()::textNode).toList());
        p.putArray("jit_grants").add("grant-" + UUID.randomUUID());
        return p;
    }

    String sign(ObjectNode header, ObjectNode payload) {
        return sign(header, payload, pair.getPrivate());
    }

    static String sign(ObjectNode header, ObjectNode payload, PrivateKey key) {
        String input = b64(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + b64(payload.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid token granting the given columns. */
    String token(String... columns) {
        return sign(header(), payload(columns));
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static byte[] unsigned(BigInteger v) {
        byte[] b = v.toByteArray();
        if (b.length > 1 && b[0] == 0) {
            byte[] t = new byte[b.length - 1];
            System.arraycopy(b, 1, t, 0, t.length);
            return t;
        }
        return b;
    }
}
