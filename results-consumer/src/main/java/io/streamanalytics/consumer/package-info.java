/**
 * The results-consumer. Its packages, each depending only on those below it (pinned by PackageDependenciesTest):
 * <ul>
 *   <li>this package: the service wiring and its configuration; nothing depends on it;</li>
 *   <li>{@code web}: the REST API, the dashboard and its event stream; uses {@code ingest}, {@code store} and
 *       {@code metrics};</li>
 *   <li>{@code ingest}: the poll loop that parses results and dead letters and materialises them; uses {@code store}
 *       and {@code metrics};</li>
 *   <li>{@code store}: the results database and its record of a result ({@code ResultRecord}); depends on nothing
 *       else of the consumer;</li>
 *   <li>{@code metrics}: the consumer's own meters, told what happened field by field; depends on nothing else of the
 *       consumer.</li>
 * </ul>
 */
package io.streamanalytics.consumer;
