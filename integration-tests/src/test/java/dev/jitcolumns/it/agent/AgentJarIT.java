package dev.jitcolumns.it.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jitcolumns.it.harness.AnalyticsSession;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import dev.jitcolumns.launcher.AnalyticsDatabase;
import dev.jitcolumns.postgres.DemoDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent as an operator runs it: {@code java -jar jit-columns-agent-*.jar} in a process of its own, configured by
 * its environment, against the harness's Keycloak and PostgreSQL. {@link AgentIT} tests the same classes in-process.
 */
@ExtendWith(KeycloakHarness.class)
class AgentJarIT {

    /** Long enough for a JVM to start and run twice on a loaded machine; the agent's interval is one second. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    static Path jar() {
        Path jar = Path.of(System.getProperty("jit.agent.jar", ""));
        assertTrue(Files.isRegularFile(jar), "the agent's jar, built by the agent module: " + jar);
        return jar;
    }

    static ProcessBuilder agentProcess(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(name -> name.startsWith("JIT_AGENT_"));
        pb.environment().putAll(env);
        return pb;
    }

    /** Runs a process that should end by itself; its exit code and its output. */
    static Map.Entry<Integer, String> runToEnd(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the agent did not exit: " + output);
        return Map.entry(p.exitValue(), output);
    }

    @Test
    void help_lists_every_setting() throws Exception {
        Map.Entry<Integer, String> run = runToEnd(agentProcess(Map.of(), "--help"));

        assertEquals(0, run.getKey(), run.getValue());
        for (String setting : List.of("JIT_AGENT_REALM_URL", "JIT_AGENT_CLIENT_ID", "JIT_AGENT_CLIENT_SECRET",
                "JIT_AGENT_DATABASES", "JIT_AGENT_DB_USER", "JIT_AGENT_DB_PASSWORD", "JIT_AGENT_INTERVAL", "JIT_AGENT_PURGE")) {
            assertTrue(run.getValue().contains(setting), setting + " missing from: " + run.getValue());
        }
    }

    @Test
    void a_missing_setting_stops_it_naming_the_setting(TestEnvironment env) throws Exception {
        Map<String, String> settings = new HashMap<>(settings(env));
        settings.remove("JIT_AGENT_CLIENT_SECRET");

        Map.Entry<Integer, String> run = runToEnd(agentProcess(settings));

        assertEquals(2, run.getKey(), run.getValue());
        assertTrue(run.getValue().startsWith("JIT_AGENT_CLIENT_SECRET is not set"), run.getValue());
    }

    @Test
    void the_running_jar_carries_a_revocation_to_the_database(TestEnvironment env) throws Exception {
        Jit.Granted granted = Jit.grant(env, 30);
        String token = Jit.databaseToken(env, granted.username());
        String realBirthDate = AgentIT.realBirthDate(env);

        Path log = Files.createTempFile("jit-columns-agent", ".log");
        Process agent = agentProcess(settings(env)).redirectOutput(log.toFile()).start();
        try (AnalyticsSession session = new AnalyticsSession(env)) {
            session.setToken(token);
            assertEquals(realBirthDate, session.customerColumn("date_of_birth"));

            assertEquals(200, AgentIT.revoke(env, granted.grantId()).status());

            String refusal = refusalOnceApplied(env, token, agent, log);
            assertTrue(refusal.contains("grant revoked"), refusal);
            assertEquals(realBirthDate.substring(0, 4) + "-01-01", session.customerColumn("date_of_birth"),
                    "the open session's next statement reads the column's mask");
        } finally {
            agent.destroy();
            agent.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(log);
        }
    }

    /** What presenting the token in a fresh session says, once the agent's process has applied the revocation. */
    private static String refusalOnceApplied(TestEnvironment env, String token, Process agent, Path log) throws Exception {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (Instant.now().isBefore(deadline)) {
            if (!agent.isAlive()) {
                fail("the agent exited with " + agent.exitValue() + ": " + Files.readString(log));
            }
            try (AnalyticsSession fresh = new AnalyticsSession(env)) {
                fresh.setToken(token);
            } catch (SQLException refused) {
                return refused.getMessage();
            }
            Thread.sleep(250);
        }
        return fail("the agent's process did not revoke the grant within " + PATIENCE + ": " + Files.readString(log));
    }

    private static Map<String, String> settings(TestEnvironment env) throws Exception {
        return Map.of(
                "JIT_AGENT_REALM_URL", env.realmUrl(),
                "JIT_AGENT_CLIENT_SECRET", env.keycloak().clientSecret(TestEnvironment.REALM, AnalyticsDatabase.AGENT_CLIENT),
                "JIT_AGENT_DATABASES", env.postgres().jdbcUrl(AnalyticsDatabase.NAME),
                "JIT_AGENT_DB_USER", DemoDatabase.AGENT_USER,
                "JIT_AGENT_DB_PASSWORD", DemoDatabase.AGENT_PASSWORD,
                "JIT_AGENT_INTERVAL", "1");
    }
}
