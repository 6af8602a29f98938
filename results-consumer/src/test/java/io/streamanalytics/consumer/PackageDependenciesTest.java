package io.streamanalytics.consumer;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;

/**
 * The layering of the consumer's packages (see this package's package-info): the root wires the service, {@code web}
 * and {@code ingest} use {@code store} and {@code metrics}, and those two depend on nothing else of the consumer.
 */
@AnalyzeClasses(packages = PackageDependenciesTest.CONSUMER, importOptions = ImportOption.DoNotIncludeTests.class)
class PackageDependenciesTest {

    static final String CONSUMER = "io.streamanalytics.consumer";

    @ArchTest
    static void consumerPackagesHaveNoCycles(JavaClasses classes) {
        slices().matching(CONSUMER + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @ArchTest
    static void nothingDependsOnTheServiceWiring(JavaClasses classes) {
        noClasses()
                .that()
                .resideInAPackage(CONSUMER + ".*..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(CONSUMER)
                .because("the root package wires the service together and reads its configuration")
                .check(classes);
    }

    @ArchTest
    static void webDependsOnlyOnIngestStoreAndMetrics(JavaClasses classes) {
        dependsOnNothingElseOfTheConsumerThan("web", "ingest", "store", "metrics")
                .check(classes);
    }

    @ArchTest
    static void ingestDependsOnlyOnStoreAndMetrics(JavaClasses classes) {
        dependsOnNothingElseOfTheConsumerThan("ingest", "store", "metrics").check(classes);
    }

    @ArchTest
    static void storeDependsOnNothingElseOfTheConsumer(JavaClasses classes) {
        dependsOnNothingElseOfTheConsumerThan("store").check(classes);
    }

    @ArchTest
    static void metricsDependsOnNothingElseOfTheConsumer(JavaClasses classes) {
        dependsOnNothingElseOfTheConsumerThan("metrics").check(classes);
    }

    /** No class of the consumer's package {@code layer} depends on one of the consumer outside {@code allowed}. */
    private static ArchRule dependsOnNothingElseOfTheConsumerThan(String layer, String... allowed) {
        String[] own =
                Arrays.stream(allowed).map(p -> CONSUMER + "." + p + "..").toArray(String[]::new);
        return noClasses()
                .that()
                .resideInAPackage(CONSUMER + "." + layer + "..")
                .should()
                .dependOnClassesThat(resideInAPackage(CONSUMER + "..")
                        .and(not(resideInAPackage(CONSUMER + "." + layer + "..")))
                        .and(not(resideInAnyPackage(own))));
    }
}
