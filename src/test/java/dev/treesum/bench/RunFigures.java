package dev.treesum.bench;

import java.util.List;
import java.util.function.ToDoubleFunction;

import dev.treesum.bench.ProcessMeter.Measured;

/**
 * The runs of one command in one workload, summed up by their medians.
 *
 * @param runs the measured runs
 */
record RunFigures(List<Measured> runs) {

	RunFigures {
		runs = List.copyOf(runs);
	}

	double wall() {
		return median(Measured::wallSeconds);
	}

	double cpu() {
		return median(Measured::cpuSeconds);
	}

	private double median(ToDoubleFunction<Measured> figure) {
		double[] values = this.runs.stream().mapToDouble(figure).sorted().toArray();
		if (values.length == 0) {
			return Double.NaN;
		}
		int middle = values.length / 2;
		return (values.length % 2 == 1) ? values[middle] : (values[middle - 1] + values[middle]) / 2;
	}

}
