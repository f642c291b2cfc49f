print("trackerd")
