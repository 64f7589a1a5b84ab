package dev.jitcolumns.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every Wycheproof RSASSA-PKCS1-v1_5 SHA-256 vector (2048, 3072, 4096 bits) through
 * jit_columns.rsa_pkcs1_sha256_verify in the real database: valid ones verify, every other one
 * (invalid and acceptable) is rejected; keys with e = 3 are refused and counted apart.
 */
@ExtendWith(PostgresServer.class)
class WycheproofIT {

    static final String[] FILES = {
        "rsa_signature_2048_sha256_test.json", "rsa_signature_3072_sha256_test.json", "rsa_signature_4096_sha256_test.json"};

    static Path dir() {
        Path p = Path.of(System.getProperty("wycheproof.dir", "/work/shared/testdata/wycheproof"));
        return Files.isDirectory(p) ? p : Path.of("/work/shared/testdata/wycheproof");
    }

    @Test
    void wycheproof_rsa_pkcs1_sha256() throws Exception {
        int total = 0, validVerified = 0, invalidRejected = 0, e3Keys = 0, e3Vectors = 0;
        List<String> failures = new ArrayList<>();
        HexFormat hex = HexFormat.of();
        try (Connection c = PostgresServer.superuser("analytics");
             PreparedStatement ps = c.prepareStatement("SELECT jit_columns.rsa_pkcs1_sha256_verify(?, ?, ?, ?)")) {
            for (String f : FILES) {
                JsonNode root = Tokens.JSON.readTree(dir().resolve(f).toFile());
                for (JsonNode g : root.get("testGroups")) {
                    byte[] n = hex.parseHex(g.get("publicKey").get("modulus").asText());
                    byte[] e = hex.parseHex(g.get("publicKey").get("publicExponent").asText());
                    boolean keyRefused = false;
                    for (JsonNode t : g.get("tests")) {
                        total++;
                        String id = f + " #" + t.get("tcId").asInt() + " (" + t.get("comment").asText() + ")";
                        boolean expectValid = "valid".equals(t.get("result").asText());
                        ps.setBytes(1, n);
                        ps.setBytes(2, e);
                        ps.setBytes(3, hex.parseHex(t.get("msg").asText()));
                        ps.setBytes(4, hex.parseHex(t.get("sig").asText()));
                        Boolean ok;
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            ok = rs.getBoolean(1);
                        } catch (SQLException ex) {
                            if ("22023".equals(ex.getSQLState()) && ex.getMessage().contains("exponent 3 refused")) {
                                keyRefused = true;
                                e3Vectors++;
                                continue;
                            }
                            throw new AssertionError(id + ": " + ex.getMessage(), ex);
                        }
                        if (expectValid && ok) {
                            validVerified++;
                        } else if (!expectValid && !ok) {
                            invalidRejected++;
                        } else {
                            failures.add(id + ": expected " + t.get("result").asText() + ", verify returned " + ok);
                        }
                    }
                    if (keyRefused) {
                        e3Keys++;
                    }
                }
            }
        }
        System.out.printf("Wycheproof RSASSA-PKCS1-v1_5 SHA-256: %d vectors: %d valid verified, %d invalid/acceptable rejected, "
                + "%d vectors on %d e=3 keys refused at load, %d failures%n",
                total, validVerified, invalidRejected, e3Vectors, e3Keys, failures.size());
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(776, total);
        assertEquals(total, validVerified + invalidRejected + e3Vectors);
    }
}
