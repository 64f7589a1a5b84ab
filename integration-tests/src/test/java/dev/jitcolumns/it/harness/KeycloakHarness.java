package dev.jitcolumns.it.harness;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the {@link TestEnvironment} once per test run (held in the root context's store, so every test
 * class of the run shares it) and stops it when the run ends, whether the tests passed or not.
 * Test classes use {@code @ExtendWith(KeycloakHarness.class)} and take a {@link TestEnvironment} parameter.
 */
public final class KeycloakHarness implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KeycloakHarness.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        environment(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestEnvironment.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return environment(context);
    }

    private static TestEnvironment environment(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Running.class, key -> new Running(), Running.class).environment;
    }

    /** The store closes this at the end of the run. */
    private static final class Running implements AutoCloseable {
        final TestEnvironment environment;

        Running() {
            try {
                environment = TestEnvironment.start();
            } catch (Exception e) {
                throw new IllegalStateException("The test environment did not start", e);
            }
            // Also when the forked JVM is stopped before JUnit closes the store (Ctrl-C, a killed build).
            Runtime.getRuntime().addShutdownHook(new Thread(environment::close, "stop-test-environment"));
        }

        @Override
        public void close() {
            environment.close();
        }
    }
}
