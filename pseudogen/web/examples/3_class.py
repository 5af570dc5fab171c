class Stack(object):
    def __init__(self):
        self.items = []

    def push(self, item):
        self.items.append(item)

    def pop(self):
        if not self.items:
            raise IndexError('pop from an empty stack')
        return self.items.pop()

    def __len__(self):
        return len(self.items)
