/** The example service wiring every module. */
package dev.resilience.examples;
