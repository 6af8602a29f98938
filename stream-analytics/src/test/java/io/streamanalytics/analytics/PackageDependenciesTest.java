package io.streamanalytics.analytics;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;

/**
 * The layering of the analytics' packages: the root wires the application (configuration, Spark session,
 * supervisor, checkpoints, metrics); {@code io} reads and writes Kafka and parses the input into the columns the
 * pipelines expect; {@code pipelines} are the queries' transformations, which know nothing of how their input
 * arrives or where their results go.
 */
@AnalyzeClasses(packages = PackageDependenciesTest.ANALYTICS, importOptions = ImportOption.DoNotIncludeTests.class)
class PackageDependenciesTest {

    static final String ANALYTICS = "io.streamanalytics.analytics";

    @ArchTest
    static void analyticsPackagesHaveNoCycles(JavaClasses classes) {
        slices().matching(ANALYTICS + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @ArchTest
    static void nothingDependsOnTheApplicationWiring(JavaClasses classes) {
        noClasses()
                .that()
                .resideInAPackage(ANALYTICS + ".*..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ANALYTICS)
                .because("the root package wires the application together and reads its configuration")
                .check(classes);
    }

    @ArchTest
    static void pipelinesDependOnNothingElseOfTheAnalytics(JavaClasses classes) {
        noClasses()
                .that()
                .resideInAPackage(ANALYTICS + ".pipelines..")
                .should()
                .dependOnClassesThat(
                        resideInAPackage(ANALYTICS + "..").and(not(resideInAPackage(ANALYTICS + ".pipelines.."))))
                .because("a pipeline is a transformation of its input columns, whatever reads and writes Kafka")
                .check(classes);
    }
}
