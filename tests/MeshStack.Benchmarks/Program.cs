using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(MeshStack.Benchmarks.ProdSynthesisBenchmark).Assembly).Run(args);
