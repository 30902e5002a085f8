export interface Bar {
	label: string;
	value: number;
	group: string;
}

const COLORS = ['#07C160', '#1f77b4', '#ff7f0e', '#9467bd', '#8c564b', '#d62728'];

function escape(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A horizontal bar chart as SVG: one bar per scenario, coloured by group. */
export function barChartSvg(title: string, unit: string, bars: Bar[]): string {
	const groups = [...new Set(bars.map((bar) => bar.group))];
	const rowHeight = 22;
	const left = 330;
	const width = 900;
	const plotWidth = width - left - 90;
	const top = 50;
	const height = top + bars.length * rowHeight + 30 + groups.length * 18;
	const max = Math.max(...bars.map((bar) => bar.value), 0.001);
	const rows = bars.map((bar, index) => {
		const y = top + index * rowHeight;
		const barWidth = Math.max(1, (bar.value / max) * plotWidth);
		const color = COLORS[groups.indexOf(bar.group) % COLORS.length];
		return [
			`<text x="${left - 8}" y="${y + 15}" text-anchor="end" font-size="12">${escape(bar.label)}</text>`,
			`<rect x="${left}" y="${y + 3}" width="${barWidth.toFixed(1)}" height="${rowHeight - 6}" fill="${color}"/>`,
			`<text x="${left + barWidth + 6}" y="${y + 15}" font-size="12">${bar.value.toFixed(2)} ${escape(unit)}</text>`,
		].join('');
	});
	const legendTop = top + bars.length * rowHeight + 20;
	const legend = groups.map(
		(group, index) =>
			`<rect x="${left}" y="${legendTop + index * 18}" width="12" height="12" fill="${COLORS[index % COLORS.length]}"/>` +
			`<text x="${left + 18}" y="${legendTop + index * 18 + 11}" font-size="12">${escape(group)}</text>`,
	);
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">`,
		`<rect width="100%" height="100%" fill="#ffffff"/>`,
		`<text x="${width / 2}" y="28" text-anchor="middle" font-size="16" font-weight="bold">${escape(title)}</text>`,
		...rows,
		...legend,
		'</svg>',
	].join('\n');
}
