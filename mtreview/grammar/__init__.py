"""Grammar and spelling through LanguageTool: the client (findings) and the managed server."""
