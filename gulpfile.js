const { src, dest } = require('gulp');

// tsc emits only JavaScript; n8n loads icons, the codex file and the output schemas (__schema__/v<version>/<resource>/<operation>.json,
// what the editor maps from before a run) from beside the built node and credential files.
function copyAssets() {
	return src(['nodes/**/*.{png,svg,node.json}', 'nodes/**/__schema__/**/*.json', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports['build:assets'] = copyAssets;
