package dev.jitcolumns.postgres;

import java.nio.file.Files;
import java.nio.file.Path;

/** Development aid: writes a JWKS and a token granting the given columns (args: outdir columns...). */
public final class DevTokens {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String[] cols = java.util.Arrays.copyOfRange(args, 1, args.length);
        Files.writeString(dir.resolve("jwks.json"), Tokens.KEYS.jwks());
        Files.writeString(dir.resolve("token.txt"), Tokens.KEYS.token(cols));
    }
}
