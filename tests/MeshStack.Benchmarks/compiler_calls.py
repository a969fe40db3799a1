#!/usr/bin/env python3
"""Whole-process timings of the compiler call, made the way Pulumi's YAML runtime makes it.

Runs from deploy/ (the program directory) with PULUMI_STACK/PULUMI_CONFIG for a stack and with no PULUMI_*
variable (plugin discovery), and times, paired in the same loop so they share the machine's load:
  compile.sh   the command in Pulumi.yaml (fingerprint check, then the Native AOT binary, or the JIT fallback)
  native       the Native AOT binary alone (infra/MeshStack.Infra/.compiler/native/MeshStack.Infra)
  jit          the same sources built for the JIT (`dotnet MeshStack.Infra.dll program`, the previous compiler)

usage (from the repository root): python3 tests/MeshStack.Benchmarks/compiler_calls.py [runs] [stack]
"""
import json, os, statistics, subprocess, sys, tempfile, time

import yaml  # PyYAML, as the tests' render validator uses

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 20
STACK = sys.argv[2] if len(sys.argv) > 2 else "prod"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEPLOY = os.path.join(ROOT, "deploy")
NATIVE = os.path.join(ROOT, "infra", "MeshStack.Infra", ".compiler", "native", "MeshStack.Infra")


def engine_config(stack):
    """PULUMI_CONFIG as the CLI builds it: project defaults, then the stack file; structured values JSON-encoded."""
    def encode(v):
        return v if isinstance(v, str) else json.dumps(v, separators=(",", ":"))
    with open(os.path.join(ROOT, "Pulumi.yaml")) as f:
        project = yaml.safe_load(f)
    values = {f"mesh-stack:{k}": encode(d["default"]) for k, d in project.get("config", {}).items()
              if isinstance(d, dict) and "default" in d}
    with open(os.path.join(ROOT, f"Pulumi.{stack}.yaml")) as f:
        values.update({k: encode(v) for k, v in yaml.safe_load(f)["config"].items()})
    return json.dumps(values, separators=(",", ":"))


def clean_env(extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_")}
    env.update(extra)
    return env


def run(argv, env):
    start = time.perf_counter_ns()
    done = subprocess.run(argv, cwd=DEPLOY, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = (time.perf_counter_ns() - start) / 1e6
    if done.returncode != 0:
        sys.exit(f"{argv[0]} failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return elapsed, done.stdout


def main():
    # make compile.sh current (this may build), then a JIT build of the same sources beside it
    subprocess.run(["bash", "../infra/compile.sh"], cwd=DEPLOY, env=clean_env({}), stdout=subprocess.DEVNULL, check=True)
    if not os.path.exists(NATIVE):
        sys.exit("no Native AOT build: compile.sh fell back to the JIT build (native toolchain missing)")
    jit_dir = tempfile.mkdtemp(prefix="meshstack-jit-")
    subprocess.run(["dotnet", "build", os.path.join(ROOT, "infra", "MeshStack.Infra", "MeshStack.Infra.csproj"),
                    "-c", "Release", "-o", jit_dir, "--nologo", "-v", "quiet", "-p:UseAppHost=false"],
                   stdout=subprocess.DEVNULL, check=True)
    variants = {
        "compile.sh": ["bash", "../infra/compile.sh"],
        "native": [NATIVE, "program"],
        "jit": ["dotnet", os.path.join(jit_dir, "MeshStack.Infra.dll"), "program"],
    }
    scenarios = {
        f"{STACK} (PULUMI_STACK/PULUMI_CONFIG)": clean_env({"PULUMI_STACK": STACK, "PULUMI_PROJECT": "mesh-stack",
                                                             "PULUMI_ROOT_DIRECTORY": ROOT,
                                                             "PULUMI_CONFIG": engine_config(STACK)}),
        "no PULUMI_* (dev program)": clean_env({}),
    }
    print(f"load average before: {os.getloadavg()}  runs: {RUNS} warm (after 2 discarded)  cpus: {os.cpu_count()}")
    for name, env in scenarios.items():
        outputs = {v: run(argv, env)[1] for v, argv in variants.items() for _ in range(2)}  # warm-up, discarded
        if len(set(outputs.values())) != 1:
            sys.exit(f"{name}: the variants print different programs")
        times = {v: [] for v in variants}
        for _ in range(RUNS):
            for v, argv in variants.items():
                times[v].append(run(argv, env)[0])
        print(f"\n{name}: ms per call")
        print(f"  {'variant':<11} {'median':>8} {'min':>8} {'max':>8}")
        for v, t in times.items():
            print(f"  {v:<11} {statistics.median(t):8.1f} {min(t):8.1f} {max(t):8.1f}")
        ratio = statistics.median(times["jit"]) / statistics.median(times["compile.sh"])
        print(f"  jit / compile.sh (medians): {ratio:.1f}x   jit / native: "
              f"{statistics.median(times['jit']) / statistics.median(times['native']):.1f}x")
    print(f"\nload average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
