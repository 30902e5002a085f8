const { src, dest } = require('gulp');

// tsc emits only JavaScript; n8n loads icons and the codex file from beside the built node and credential files.
function copyAssets() {
	return src(['nodes/**/*.{png,svg,node.json}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports['build:assets'] = copyAssets;
