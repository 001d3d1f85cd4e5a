import { render } from "preact";
import { App } from "./app";
import { apiBaseUrl } from "./session";
import "./styles.css";

const root = document.getElementById("app")!;
apiBaseUrl().then((base) => {
  render(<App apiBaseUrl={base} />, root);
  // For the bench's first-render figure (bench/console.ts).
  performance.mark("console-rendered");
});
