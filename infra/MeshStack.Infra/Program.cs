using MeshStack.Cli;

return new CommandLine(Console.Out, Console.Error, Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory()).Run(args);
