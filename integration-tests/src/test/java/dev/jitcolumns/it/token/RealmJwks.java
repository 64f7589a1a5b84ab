package dev.jitcolumns.it.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.jitcolumns.it.harness.TestEnvironment;
import java.net.URI;

/** Verifies tokens the way a relying party would: RS256 against the realm's published JWKS. */
public final class RealmJwks {

    private RealmJwks() {
    }

    static JWTClaimsSet verify(TestEnvironment env, String token) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new AssertionError("alg " + jwt.getHeader().getAlgorithm());
        }
        JWKSet jwks = JWKSet.load(URI.create(env.realmUrl() + "/protocol/openid-connect/certs").toURL());
        RSAKey key = (RSAKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        if (key == null || !jwt.verify(new RSASSAVerifier(key))) {
            throw new AssertionError("signature does not verify with the realm JWKS (kid " + jwt.getHeader().getKeyID() + ")");
        }
        return jwt.getJWTClaimsSet();
    }

    /** The claims without verifying (for tokens whose absence of claims is the point). */
    public static JWTClaimsSet claims(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet();
    }
}
