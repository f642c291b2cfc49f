print("trackctl")
