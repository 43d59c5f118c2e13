print("zhaocai")
