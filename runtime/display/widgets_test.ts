import assert from "node:assert/strict";
import { input, WIDGET_HOST_KEY, type WidgetHost } from "./widgets.ts";
import { setDisplaySink } from "./sink.ts";
import { type MimeBundle, WIDGET_MIME } from "../vocabulary.ts";
import {
  acceptWidgetValue,
  asWidgetPanel,
  logSliderPosition,
  logSliderValue,
} from "./widget_spec.ts";

/** Captures displays; with `saved`, installs a widget host like the kernel's. */
function capture(saved?: Record<string, unknown>) {
  const sent: MimeBundle[] = [];
  setDisplaySink((data) => sent.push(data));
  const target = globalThis as { [WIDGET_HOST_KEY]?: WidgetHost };
  if (saved !== undefined) {
    const used = new Set<string>();
    target[WIDGET_HOST_KEY] = {
      claimKey(base) {
        let key = base;
        for (let n = 2; used.has(key); n++) key = `${base}#${n}`;
        used.add(key);
        return key;
      },
      savedValue: (key) => saved[key],
    };
  }
  return {
    sent,
    panels: () => sent.map((b) => asWidgetPanel(b[WIDGET_MIME])),
    done() {
      setDisplaySink(null);
      delete target[WIDGET_HOST_KEY];
    },
  };
}

Deno.test("input.slider() shows a widget and resolves to its default outside the notebook", async () => {
  const c = capture();
  try {
    const lr = await input.slider({
      label: "learning rate",
      min: 1e-4,
      max: 1,
      value: 0.01,
      scale: "log",
    });
    assert.equal(lr, 0.01);
    assert.equal(c.sent.length, 1);
    assert.equal(c.sent[0]?.["text/plain"], "learning rate: 0.01");
    assert.deepEqual(c.panels()[0]?.widgets[0], {
      kind: "slider",
      key: "slider:learning rate",
      label: "learning rate",
      min: 1e-4,
      max: 1,
      scale: "log",
      value: 0.01,
      default: 0.01,
    });
  } finally {
    c.done();
  }
});

Deno.test("a widget resolves to the value the kernel saved, clamped, or its default if invalid", async () => {
  const c = capture({ "slider:lr": 5, "checkbox:on": "yes", "select:opt": "adam" });
  try {
    assert.equal(await input.slider({ label: "lr", min: 0, max: 2, value: 1 }), 2);
    assert.equal(await input.checkbox({ label: "on", value: true }), true);
    assert.equal(
      await input.select({ label: "opt", options: ["sgd", "adam"] as const }),
      "adam",
    );
    assert.equal(c.panels()[0]?.widgets[0]?.value, 2, "the display shows the saved value");
    assert.equal(c.panels()[0]?.widgets[0]?.default, 1, "and the code's default, to reset to");
  } finally {
    c.done();
  }
});

Deno.test("two widgets with one label in a cell get distinct keys", async () => {
  const c = capture({ "number:n#2": 7 });
  try {
    assert.equal(await input.number({ label: "n", value: 1 }), 1);
    assert.equal(await input.number({ label: "n", value: 1 }), 7);
    assert.deepEqual(c.panels().map((p) => p?.widgets[0]?.key), ["number:n", "number:n#2"]);
  } finally {
    c.done();
  }
});

Deno.test("input.controls() shows one panel and resolves to the values in order", async () => {
  const c = capture({ "button:go": 3 });
  try {
    const values = await input.controls([
      input.number({ label: "steps", value: 100, min: 1 }),
      input.checkbox({ label: "momentum", value: true }),
      input.button({ label: "go" }),
    ]);
    assert.deepEqual(values, [100, true, 3]);
    assert.equal(c.sent.length, 1);
    assert.deepEqual(c.panels()[0]?.widgets.map((w) => w.kind), ["number", "checkbox", "button"]);
  } finally {
    c.done();
  }
});

Deno.test("input.slider() refuses a log scale that starts at zero, saying so", () => {
  assert.throws(
    () => input.slider({ label: "lr", min: 0, max: 1, scale: "log" }),
    RangeError,
    'input.slider: "lr" has a log scale, so min must be > 0 (got min 0)',
  );
  assert.throws(
    () => input.select({ label: "opt", options: ["a"], value: "b" as "a" }),
    /has no option "b"/,
  );
});

Deno.test("a log slider's position and value are inverse maps", () => {
  assert.ok(Math.abs(logSliderValue(0.5, 1e-4, 1) - 1e-2) < 1e-12);
  assert.ok(Math.abs(logSliderPosition(1e-2, 1e-4, 1) - 0.5) < 1e-12);
  const spec = { kind: "button", key: "b", label: "b", value: 0 } as const;
  assert.equal(acceptWidgetValue(spec, 2.5), undefined);
});
