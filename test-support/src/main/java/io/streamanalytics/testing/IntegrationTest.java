package io.streamanalytics.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test class of the full tier: it starts a Kafka broker, a process, a browser, Prometheus, PostgreSQL or containers.
 * {@code ./mvnw test} (Surefire) leaves these out so that it answers in minutes on any machine with Java 17;
 * {@code ./mvnw verify} (Failsafe, after the jars are packaged) runs them. Every other test class is of the fast tier.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag(IntegrationTest.TAG)
public @interface IntegrationTest {

    /** The JUnit tag the build's Surefire excludes and Failsafe selects (the parent pom names it too). */
    String TAG = "integration";
}
