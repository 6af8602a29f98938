/**
 * The producer-simulator. This package wires it together: the command line ({@code SimulatorCommand}, its
 * {@code validate} subcommand), the run ({@code SimulatorApp}, {@code Simulator}); nothing depends on it. Below it
 * (pinned by PackageDependenciesTest, no cycles between them):
 * <ul>
 *   <li>{@code config}: the validated settings; uses only {@code generate} (a traffic shape, the disorder);</li>
 *   <li>{@code generate}: the event streams, deterministic from a seed; depends on nothing else of the simulator;</li>
 *   <li>{@code send}: pacing, the Kafka and stdout sinks, the simulator's meters; {@code replay} and {@code weather}
 *       use it.</li>
 * </ul>
 */
package io.streamanalytics.simulator;
