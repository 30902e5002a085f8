'use strict';

const CLASSIC_TOKEN_PATH = '/cgi-bin/token';
const STABLE_TOKEN_PATH = '/cgi-bin/stable_token';
const TOKEN_PATHS = Object.freeze([CLASSIC_TOKEN_PATH, STABLE_TOKEN_PATH]);
const UPLOAD_AVATAR_PATH = '/customservice/kfaccount/uploadheadimg';

module.exports = { CLASSIC_TOKEN_PATH, STABLE_TOKEN_PATH, TOKEN_PATHS, UPLOAD_AVATAR_PATH };
