package io.streamanalytics.schemas;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;

/**
 * The contracts are what every module shares, the Spark pipelines included: records, the topic registry, JSON, the
 * schemas and the validator. They carry no infrastructure: Kafka clients, serdes, Micrometer and the metrics server
 * live in service-support, which depends on this module and not the other way round.
 */
@AnalyzeClasses(packages = "io.streamanalytics.schemas", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageDependenciesTest {

    @ArchTest
    static void contractsDependOnNoKafkaClientOrMicrometer(JavaClasses classes) {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka..", "io.micrometer..")
                .because("the contracts carry no infrastructure (service-support has it)")
                .check(classes);
    }

    @ArchTest
    static void contractPackagesHaveNoCycles(JavaClasses classes) {
        slices().matching("io.streamanalytics.schemas.(*)..")
                .should()
                .beFreeOfCycles()
                .check(classes);
    }
}
