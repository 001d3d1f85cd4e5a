import { nagApp } from "../lib/nag-app";

/**
 * `npm run nag`: the app checked against cdk-nag's AWS Solutions pack. Exits non-zero on any
 * finding that is neither fixed nor acknowledged (with its reason, next to the construct).
 */
nagApp().synth();
