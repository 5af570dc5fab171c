total = 0
for line in open('numbers.txt'):
    total += int(line)
print('total is' total)
average = total / 10
