package io.streamanalytics.simulator;

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
 * The layering of the simulator's packages (see this package's package-info): the root wires the command line and
 * the run; {@code config} is the settings, {@code generate} the events, and neither knows how they are sent.
 */
@AnalyzeClasses(packages = PackageDependenciesTest.SIMULATOR, importOptions = ImportOption.DoNotIncludeTests.class)
class PackageDependenciesTest {

    static final String SIMULATOR = "io.streamanalytics.simulator";

    @ArchTest
    static void simulatorPackagesHaveNoCycles(JavaClasses classes) {
        slices().matching(SIMULATOR + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @ArchTest
    static void nothingDependsOnTheAppAndCommandWiring(JavaClasses classes) {
        noClasses()
                .that()
                .resideInAPackage(SIMULATOR + ".*..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(SIMULATOR)
                .because("the root package wires the command line and the run together")
                .check(classes);
    }

    @ArchTest
    static void configDependsOnlyOnGenerate(JavaClasses classes) {
        dependsOnNothingElseOfTheSimulatorThan("config", "generate").check(classes);
    }

    @ArchTest
    static void generateDependsOnNothingElseOfTheSimulator(JavaClasses classes) {
        dependsOnNothingElseOfTheSimulatorThan("generate").check(classes);
    }

    /** No class of the simulator's package {@code layer} depends on one of the simulator outside {@code allowed}. */
    private static ArchRule dependsOnNothingElseOfTheSimulatorThan(String layer, String... allowed) {
        String[] own =
                Arrays.stream(allowed).map(p -> SIMULATOR + "." + p + "..").toArray(String[]::new);
        return noClasses()
                .that()
                .resideInAPackage(SIMULATOR + "." + layer + "..")
                .should()
                .dependOnClassesThat(resideInAPackage(SIMULATOR + "..")
                        .and(not(resideInAPackage(SIMULATOR + "." + layer + "..")))
                        .and(not(resideInAnyPackage(own))));
    }
}
