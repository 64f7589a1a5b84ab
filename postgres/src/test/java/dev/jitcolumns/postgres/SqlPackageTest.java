package dev.jitcolumns.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The packaging rules that keep one hand-written SQL source per version. */
class SqlPackageTest {

    @Test
    void control_file_version_names_the_extension_script_and_the_recorded_version() {
        String v = SqlPackage.version();
        assertEquals("jit_columns--" + v + ".sql", SqlPackage.extensionScriptName());
        assertTrue(SqlPackage.extensionScript().contains("VALUES ('" + v + "', "),
                "the script records its own version in jit_columns.installed_version");
    }

    @Test
    void generated_install_script_is_the_extension_script_wrapped_in_one_transaction() throws Exception {
        String install = SqlPackage.installScript();
        assertTrue(install.contains(SqlPackage.extensionScript()));
        assertTrue(install.startsWith("-- jit_columns " + SqlPackage.version()));
        assertTrue(install.contains("\nBEGIN;\n") && install.strip().endsWith("COMMIT;"));
        assertFalse(install.contains("@VERSION@"));
        Path built = Path.of("target/classes", SqlPackage.RESOURCE_DIR, "install.sql");
        if (Files.exists(built)) {
            assertEquals(install, Files.readString(built, StandardCharsets.UTF_8), "install.sql as packaged");
        }
    }

    @Test
    void every_security_definer_function_pins_search_path() {
        Matcher m = Pattern.compile("CREATE OR REPLACE FUNCTION (jit_columns\\.\\w+)\\((?s:.*?)\\nAS \\$\\$")
                .matcher(SqlPackage.extensionScript());
        int definers = 0;
        while (m.find()) {
            String head = m.group();
            if (head.contains("SECURITY DEFINER")) {
                definers++;
                assertTrue(head.contains("SET search_path = pg_catalog, pg_temp"), m.group(1));
            }
        }
        assertTrue(definers >= 10, "found " + definers);
    }

    @Test
    void no_transaction_control_or_psql_meta_commands_in_the_extension_script() {
        String s = SqlPackage.extensionScript();
        assertFalse(Pattern.compile("(?m)^\\s*(BEGIN|COMMIT|ROLLBACK)\\s*;").matcher(s).find());
        assertFalse(Pattern.compile("(?m)^\\\\").matcher(s).find());
    }
}
